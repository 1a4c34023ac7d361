/** Date and time for people, in the scheduler's time zone: 22/11/2026 02:00:05. */
export function dataOra(d: Date | string | null | undefined, timeZone: string): string | null {
  if (d == null) return null;
  const date = d instanceof Date ? d : new Date(d);
  if (Number.isNaN(date.getTime())) return null;
  return new Intl.DateTimeFormat('it-IT', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    .format(date)
    .replace(',', '');
}
