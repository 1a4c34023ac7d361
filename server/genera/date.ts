/**
 * Calendar dates as integer day numbers (days since 1970-01-01, UTC).
 * The generator does millions of date operations at the regione scale, so it uses
 * plain integer arithmetic (H. Hinnant's civil-date algorithms) instead of Date objects.
 */

export function dayFromParts(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function partsFromDay(day: number): [number, number, number] {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a strict YYYY-MM-DD; throws on anything else (the caller's input, not data). */
export function dayFromIso(iso: string): number {
  const m = ISO.exec(iso);
  if (!m) throw new Error(`data non valida (atteso YYYY-MM-DD): ${iso}`);
  const day = dayFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
  if (isoFromDay(day) !== iso) throw new Error(`data inesistente: ${iso}`);
  return day;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function isoFromDay(day: number): string {
  const [y, m, d] = partsFromDay(day);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Italian spreadsheet form DD/MM/YYYY (accepted by the data contract). */
export function itFromDay(day: number): string {
  const [y, m, d] = partsFromDay(day);
  return `${pad2(d)}/${pad2(m)}/${y}`;
}

/** Same day of month `months` later, clamped to the month's last day. */
export function addMonths(day: number, months: number): number {
  const [y, m, d] = partsFromDay(day);
  const idx = y * 12 + (m - 1) + months;
  const ny = Math.floor(idx / 12);
  const nm = (idx % 12) + 1;
  const last = dayFromParts(nm === 12 ? ny + 1 : ny, nm === 12 ? 1 : nm + 1, 1) - 1;
  return Math.min(dayFromParts(ny, nm, d), last);
}

export function yearOf(day: number): number {
  return partsFromDay(day)[0];
}

/** Age in whole years at `day` of a person born on `birth`. */
export function ageAt(birth: number, day: number): number {
  const [by, bm, bd] = partsFromDay(birth);
  const [y, m, d] = partsFromDay(day);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
