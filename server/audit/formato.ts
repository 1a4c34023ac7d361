/** Date and time for people, in the scheduler's time zone: 22/11/2026 02:00:05. */
export function dataOra(d: Date | string | null | undefined, timeZone: string): string | null {
  if (d == null) return null;
  const date = d instanceof Date ? d : new Date(d);
  if (Number.isNaN(date.getTime())) return null;
  return new Intl.DateTimeFormat('it-IT', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    .format(date)
    .replace(',', '');
}

/**
 * CSV for spreadsheets (`;`, as Italian Excel expects, with a BOM). A cell that a spreadsheet
 * would run as a formula (= + - @ at the start) is prefixed with ' : e-mails typed in the login
 * form end up in the audit export.
 */
export function toCsv(header: string[], rows: unknown[][]): string {
  const cell = (v: unknown): string => {
    if (v == null) return '';
    let s = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[";\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\ufeff' + [header, ...rows].map((r) => r.map(cell).join(';')).join('\r\n') + '\r\n';
}
