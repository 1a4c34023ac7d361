/**
 * CSV for Excel in Italian (the people who open these exports): `;` separator, CRLF, UTF-8 with
 * BOM (so accents are right), decimal comma without thousands separator. Text that starts with
 * = + - @ (or a tab / CR) is prefixed with ' so a spreadsheet never runs it as a formula.
 */
export type CampoCsv = string | number | null | undefined;

const numero = new Intl.NumberFormat('it-IT', { useGrouping: false, maximumFractionDigits: 2 });

export function campo(v: CampoCsv): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'number' ? numero.format(v) : v;
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(intestazione: string[], righe: CampoCsv[][]): string {
  const lines = [intestazione.map(campo).join(';'), ...righe.map((r) => r.map(campo).join(';'))];
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
