/**
 * Parsing of single field values, per the general rules of the data contract.
 * Each parser returns { ok: true, value } or { ok: false, reason } with an Italian reason that
 * tells the clerk what was found and what was expected.
 */
import { citazione } from './limiti';
import { emailNonValide, separaEmail } from '../shared/email';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

/** Amounts: see parseAmount. */
const MAX_IMPORTO = 1e10;
/** Counts are PostgreSQL integers. */
const MAX_CONTEGGIO = 2_147_483_647;

function validYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1000) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

const ISO_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9];
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** The digit at i, or -1. */
const digit = (s: string, i: number) => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};

/**
 * A real `YYYY-MM-DD` date, checked without regular expression or Date object: the form of
 * nearly every date of an extract, and a visible share of the reading time of millions of them.
 * Exactly the dates the general path below accepts in that form (years from 1000, the
 * proleptic Gregorian calendar of Date.UTC); false sends everything else to that path.
 */
function isIsoDate(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  for (const i of ISO_DIGITS) if (digit(s, i) < 0) return false;
  const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const m = digit(s, 5) * 10 + digit(s, 6);
  const d = digit(s, 8) * 10 + digit(s, 9);
  if (y < 1000 || m < 1 || m > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (m === 2 && leap ? 29 : DAYS[m - 1]);
}

/** `YYYY-MM-DD` or `DD/MM/YYYY` -> `YYYY-MM-DD`. */
export function parseDate(raw: string): Parsed<string> {
  const s = raw.trim();
  if (isIsoDate(s)) return ok(s);
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return validYmd(y, mo, d) ? ok(`${m[1]}-${m[2]}-${m[3]}`) : fail(`data inesistente ${citazione(raw)}`);
  }
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (m) {
    const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!validYmd(y, mo, d)) return fail(`data inesistente ${citazione(raw)}`);
    return ok(`${m[3]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  }
  return fail(`data non valida ${citazione(raw)} (attesa AAAA-MM-GG oppure GG/MM/AAAA)`);
}

/**
 * Euro amounts: `1234.56`, `1234,56`, `1.234,56`, `1,234.56`, optional `€` before or after,
 * optional sign. A separator followed by 1-2 digits at the end is the decimal one; separators
 * between groups of three digits are thousands separators.
 */
export function parseAmount(raw: string): Parsed<number> {
  const plain = plainAmount(raw);
  if (plain !== null) return ok(plain);
  let s = raw.trim().replace(/\u00a0/g, ' ');
  s = s.replace(/^€\s*/, '').replace(/\s*€$/, '').trim();
  const m = /^([+-]?)(\d{1,3}(?:([.,])\d{3})*|\d+)(?:([.,])(\d{1,2}))?$/.exec(s);
  if (!m) return fail(`importo non valido ${citazione(raw)} (atteso ad esempio 1234,56 o 1.234,56)`);
  const [, sign, intPart, thousandsSep, decSep, decimals] = m;
  if (thousandsSep && decSep && thousandsSep === decSep) {
    return fail(`importo non valido ${citazione(raw)}: lo stesso separatore per migliaia e decimali`);
  }
  // `1,234` or `1.234` with no decimal part: a group of three digits after one separator.
  // Italian exports write thousands with a dot, so `1.234` = 1234; `1,234` is treated the same
  // way (English thousands) because euro amounts never carry three decimals.
  const digits = thousandsSep ? intPart.split(thousandsSep).join('') : intPart;
  const value = Number(`${sign === '-' ? '-' : ''}${digits}${decimals ? '.' + decimals : ''}`);
  if (!Number.isFinite(value)) return fail(`importo non valido ${citazione(raw)}`);
  // The columns hold 14 digits (numeric(14,2)); the comune's share is the cost minus four
  // recoveries, so each amount stays well below that: no real service costs 10 billion euro.
  if (Math.abs(value) >= MAX_IMPORTO) return fail(`importo fuori scala ${citazione(raw)} (al massimo 9.999.999.999,99)`);
  return ok(Math.round(value * 100) / 100);
}

/**
 * Digits, optionally one `.` or `,` and one or two decimals (`238,60`, `15`): the form of nearly
 * every amount of an extract, read without regular expressions. The same value as the general
 * path gives (a separator before one or two digits is the decimal one there too); null for
 * anything else, and for values out of scale, which that path reports.
 */
function plainAmount(raw: string): number | null {
  const n = raw.length;
  let i = 0;
  while (i < n && digit(raw, i) >= 0) i++;
  if (i === 0) return null;
  let text = raw;
  if (i < n) {
    const sep = raw.charCodeAt(i);
    const decimals = n - i - 1;
    if ((sep !== 44 && sep !== 46) || decimals < 1 || decimals > 2 || digit(raw, i + 1) < 0 || (decimals === 2 && digit(raw, i + 2) < 0)) return null;
    text = sep === 44 ? `${raw.slice(0, i)}.${raw.slice(i + 1)}` : raw;
  }
  const value = Number(text);
  if (!(Math.abs(value) < MAX_IMPORTO)) return null;
  return Math.round(value * 100) / 100;
}

const count = (raw: string, n: number): Parsed<number> =>
  n <= MAX_CONTEGGIO ? ok(n) : fail(`numero fuori scala ${citazione(raw)} (al massimo ${MAX_CONTEGGIO.toLocaleString('it-IT')})`);

/** Non-negative integer count; `1.234` (dot thousands) accepted. */
export function parseCount(raw: string): Parsed<number> {
  const s = raw.trim();
  if (/^\d{1,3}(\.\d{3})+$/.test(s)) return count(raw, Number(s.replace(/\./g, '')));
  if (/^\d+$/.test(s)) return count(raw, Number(s));
  if (/^\d+[.,]0+$/.test(s)) return count(raw, Number(s.split(/[.,]/)[0])); // spreadsheets write 12,0
  if (/^-\d/.test(s)) return fail(`numero negativo ${citazione(raw)} (atteso un intero >= 0)`);
  return fail(`numero non valido ${citazione(raw)} (atteso un intero >= 0)`);
}

const TRUE_VALUES = new Set(['1', 'si', 'sì', 's', 'true', 'x', 'vero', 'yes', 'y']);
const FALSE_VALUES = new Set(['0', 'no', 'n', 'false', 'falso']);

/** Booleans: 1/0, si/no, sì/no, s/n, true/false, x/empty (case-insensitive). Empty = false. */
export function parseBool(raw: string): Parsed<boolean> {
  const s = raw.trim().toLowerCase();
  if (s === '' || FALSE_VALUES.has(s)) return ok(false);
  if (TRUE_VALUES.has(s)) return ok(true);
  return fail(`valore sì/no non valido ${citazione(raw)} (atteso 1/0, si/no, s/n, true/false, x o vuoto)`);
}

/** ISTAT code: 6 digits, shorter numeric values left-padded with zeros. */
export function parseIstat(raw: string): Parsed<string> {
  const s = raw.trim();
  if (/^\d{1,6}$/.test(s)) return ok(s.padStart(6, '0'));
  return fail(`codice ISTAT non valido ${citazione(raw)} (attese 6 cifre)`);
}

const AREE: Record<string, string> = {
  minori: 'minori', minore: 'minori',
  adulti: 'adulti', adulto: 'adulti',
  anziani: 'anziani', anziano: 'anziani',
};

export function parseArea(raw: string): Parsed<string> {
  const a = AREE[raw.trim().toLowerCase()];
  return a ? ok(a) : fail(`area utenza non valida ${citazione(raw)} (attesa minori, adulti o anziani)`);
}

/** Comune names compared ignoring case, accents, apostrophes, spaces and punctuation. */
/**
 * One or more e-mail addresses separated by `,` or `;` (comuni.csv, scadenze.csv): every one must
 * pass the one check of server/shared/email.ts, as in the forms. Stored lower case, `; `-joined.
 */
export function parseEmails(raw: string): Parsed<string> {
  const bad = emailNonValide(raw);
  if (bad.length) return fail(`indirizzo e-mail non valido ${citazione(bad[0])} (separare più indirizzi con ; o ,)`);
  const all = separaEmail(raw);
  return all.length ? ok(all.join('; ')) : fail('nessun indirizzo e-mail');
}

export function normalizeName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Address as the registry compares it: trimmed, upper case, spaces collapsed. */
export function normalizeAddress(raw: string | null): string | null {
  if (raw == null) return null;
  // The usual address (printable ASCII, single spaces inside): trimming and collapsing change
  // nothing. A regional registry is a million addresses (CPU profile, docs/bench.md, "The
  // imports of the cycle against COPY", 2026-12-05).
  let plain = raw.length > 0 && raw.charCodeAt(0) !== 32 && raw.charCodeAt(raw.length - 1) !== 32;
  for (let i = 0; i < raw.length && plain; i++) {
    const c = raw.charCodeAt(i);
    plain = (c > 32 && c < 127) || (c === 32 && raw.charCodeAt(i + 1) !== 32);
  }
  if (plain) return raw.toUpperCase();
  const s = raw.trim().replace(/\s+/g, ' ').toUpperCase();
  return s === '' ? null : s;
}

/** The nomenclature code of an erogazione: the part before the first `-` or space. */
export function serviceCode(raw: string): string {
  // Letters, digits and dots only (`A1.16`, the usual form): nothing to cut.
  let simple = raw.length > 0;
  for (let i = 0; i < raw.length && simple; i++) {
    const c = raw.charCodeAt(i);
    simple = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46;
  }
  if (simple) return raw.toUpperCase();
  return raw.trim().split(/[\s-]/)[0].toUpperCase();
}
