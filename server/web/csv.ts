/**
 * The one CSV writer, for every export (pages, operational lists, quality findings, problems of
 * an upload): CSV for Excel in Italian (the people who open these exports): `;` separator, CRLF,
 * UTF-8 with BOM (so accents are right), decimal comma without thousands separator. Text that
 * starts with = + - @ (or a tab / CR) is prefixed with ' so a spreadsheet never runs it as a
 * formula; numbers are never prefixed (-5 stays a number). A moment is written as ISO 8601 (UTC),
 * a yes/no as sì/no, an object as its JSON.
 */
export type CampoCsv = string | number | boolean | Date | Record<string, unknown> | unknown[] | null | undefined;

const numero = new Intl.NumberFormat('it-IT', { useGrouping: false, maximumFractionDigits: 2 });

export function campo(v: CampoCsv): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return numero.format(v);
  let s = typeof v === 'boolean' ? (v ? 'sì' : 'no') : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(intestazione: string[], righe: readonly (readonly unknown[])[]): string {
  const lines = [intestazione.map(campo).join(';'), ...righe.map((r) => r.map((v) => campo(v as CampoCsv)).join(';'))];
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
