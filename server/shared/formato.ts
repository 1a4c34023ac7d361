/**
 * Numbers, percentages, dates and times for people, in Italian: the one place that decides how they
 * look (pages, e-mails, terminal reports, messages). Numbers are always grouped ("1.990" beside
 * "10.780", never "1990"); times are local to Europe/Rome unless a zone is given. CSV files have
 * their own rules (server/web/csv.ts: no grouping, so a spreadsheet reads a number).
 */

// useGrouping 'always' is not in TypeScript's types yet.
const raggruppa = { useGrouping: 'always' } as unknown as Intl.NumberFormatOptions;
const formati = new Map<string, Intl.NumberFormat>();

function formato(min: number, max: number): Intl.NumberFormat {
  const k = `${min}:${max}`;
  let f = formati.get(k);
  if (!f) formati.set(k, (f = new Intl.NumberFormat('it-IT', { ...raggruppa, minimumFractionDigits: min, maximumFractionDigits: max })));
  return f;
}

/** A count: "1.990". */
export const intero = (n: number): string => formato(0, 0).format(n);

/** Up to `cifre` decimals, or exactly `cifre` with `fisse` (a column of figures): "12,5" / "12,50". */
export const decimale = (n: number, cifre = 2, fisse = false): string => formato(fisse ? cifre : 0, cifre).format(n);

/** A percentage with a fixed number of decimals ("97,48%"), `vuoto` when there is none. */
export const percento = (v: number | null | undefined, cifre = 2, vuoto = 'n.d.'): string => (v == null ? vuoto : `${decimale(v, cifre, true)}%`);

/** A calendar date 'YYYY-MM-DD' (or an ISO time, its date part) as "22/11/2026"; `vuoto` when there is none. */
export function giorno(d: string | null | undefined, vuoto = '–'): string {
  if (!d || !/^\d{4}-\d{2}-\d{2}/.test(d)) return vuoto;
  const [a, m, g] = d.slice(0, 10).split('-');
  return `${g}/${m}/${a}`;
}

const orari = new Map<string, Intl.DateTimeFormat>();
const giorniIso = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar date 'YYYY-MM-DD' of a moment in `timeZone` (what a clock's today() answers). The
 * formatter is built once per zone: building one loads the zone's rules (about a millisecond,
 * several under load), and every page request asks for today.
 */
export function giornoIso(d: Date, timeZone = 'Europe/Rome'): string {
  let f = giorniIso.get(timeZone);
  if (!f) giorniIso.set(timeZone, (f = new Intl.DateTimeFormat('sv-SE', { timeZone })));
  return f.format(d);
}

/** A moment as "22/11/2026 02:00:05" in `timeZone` (seconds with `secondi`, else "02:00"); null when invalid. */
export function dataOra(d: Date | string | null | undefined, timeZone = 'Europe/Rome', secondi = true): string | null {
  if (d == null) return null;
  const date = d instanceof Date ? d : new Date(d);
  if (Number.isNaN(date.getTime())) return null;
  const k = `${timeZone}:${secondi}`;
  let f = orari.get(k);
  if (!f) orari.set(k, (f = new Intl.DateTimeFormat('it-IT', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', ...(secondi ? { second: '2-digit' } : {}), hourCycle: 'h23' })));
  const p = Object.fromEntries(f.formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}${secondi ? `:${p.second}` : ''}`;
}

/** A size in bytes for people: "512 KB", "3,4 MB", "489 MB". */
export function dimensione(byte: number): string {
  if (byte < 1024 * 1024) return `${intero(Math.max(1, Math.round(byte / 1024)))} KB`;
  const mb = byte / 1024 / 1024;
  return `${decimale(mb, mb < 10 ? 1 : 0)} MB`;
}
