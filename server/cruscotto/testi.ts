/** Small text helpers for Italian dates and numbers in headings and explanations. */
export function dataIt(d: string | null | undefined): string {
  if (!d || !/^\d{4}-\d{2}-\d{2}/.test(d)) return '–';
  const [y, m, g] = d.slice(0, 10).split('-');
  return `${g}/${m}/${y}`;
}

const fmt = new Intl.NumberFormat('it-IT', { useGrouping: 'always', maximumFractionDigits: 2 } as unknown as Intl.NumberFormatOptions);
export const numIt = (n: number) => fmt.format(n);

/** Whole days from a to b (YYYY-MM-DD), negative when b is before a. */
export function giorniTra(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
