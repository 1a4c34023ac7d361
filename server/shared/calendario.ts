/**
 * Working days in Italy. Dates are 'YYYY-MM-DD' strings handled as UTC days, so no time zone
 * or daylight-saving change can move them.
 */

const DAY_MS = 86_400_000;

function toUtc(d: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new Error(`data non valida: "${d}"`);
  return Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(d: string, n: number): string {
  return fromUtc(toUtc(d) + n * DAY_MS);
}

/** b - a in days. */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtc(b) - toUtc(a)) / DAY_MS);
}

/** Easter Sunday of the Gregorian calendar (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return fromUtc(Date.UTC(year, month - 1, day));
}

export function easterMonday(year: number): string {
  return addDays(easterSunday(year), 1);
}

/**
 * National holidays with a fixed date (MM-DD), with the first year they apply when they were
 * added later: 4 October (San Francesco d'Assisi) is a national holiday again from 2026. Local
 * patron saints are not national holidays. test/promemoria/festivi.test.ts checks this table
 * against the maintained `date-holidays` package for every year from 2024 to 2040.
 */
const FIXED_HOLIDAYS = new Map<string, number>([
  ['01-01', 0], ['01-06', 0], ['04-25', 0], ['05-01', 0], ['06-02', 0], ['08-15', 0],
  ['10-04', 2026], ['11-01', 0], ['12-08', 0], ['12-25', 0], ['12-26', 0],
]);

export function isHoliday(d: string): boolean {
  const year = Number(d.slice(0, 4));
  const dal = FIXED_HOLIDAYS.get(d.slice(5));
  return (dal !== undefined && year >= dal) || d === easterMonday(year);
}

export function isWeekend(d: string): boolean {
  const dow = new Date(toUtc(d)).getUTCDay();
  return dow === 0 || dow === 6;
}

export function isWorkingDay(d: string): boolean {
  return !isWeekend(d) && !isHoliday(d);
}

/** The day itself when it is a working day, else the next working day. */
export function nextWorkingDay(d: string): string {
  let x = d;
  while (!isWorkingDay(x)) x = addDays(x, 1);
  return x;
}

const MESI = ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'];

/** '2026-06-30' -> '30 giugno 2026'. */
export function dataLunga(d: string): string {
  return `${Number(d.slice(8, 10))} ${MESI[Number(d.slice(5, 7)) - 1]} ${d.slice(0, 4)}`;
}

/** '2026-06-30' -> '30/06/2026'. */
export function dataBreve(d: string): string {
  return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
}

/** '2026-10' -> 'ottobre 2026'. */
export function meseLungo(ym: string): string {
  return `${MESI[Number(ym.slice(5, 7)) - 1]} ${ym.slice(0, 4)}`;
}
