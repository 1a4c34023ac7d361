/** Italian formats for the texts of this feature (terminal report, reasons). */

const FMT = new Intl.DateTimeFormat('it-IT', { timeZone: 'Europe/Rome', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

/** A moment as "22/11/2026 03:00" (Rome time). */
export function momento(d: Date | string): string {
  const p = Object.fromEntries(FMT.formatToParts(new Date(d)).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** A 'YYYY-MM-DD' date as "22/11/2026". */
export function giorno(d: string | null): string {
  return d ? d.split('-').reverse().join('/') : '—';
}
