/**
 * Codice fiscale: normalization, check character, birth-date decoding.
 * This is the single implementation of the check-character test: the imports
 * store its result (`cf_valido`) and the data-quality checks read that column.
 */

const ODD: Record<string, number> = {};
const EVEN: Record<string, number> = {};
// Values of characters in odd positions (1st, 3rd, ...), from the DM 23/12/1976 table.
const ODD_VALUES = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
for (let i = 0; i < 10; i++) {
  ODD[String(i)] = ODD_VALUES[i];
  EVEN[String(i)] = i;
}
for (let i = 0; i < 26; i++) {
  ODD[ALPHA[i]] = ODD_VALUES[i];
  EVEN[ALPHA[i]] = i;
}

/** Omocodia: letters that replace digits in positions 7,8,10,11,13,14,15 (1-based). */
const OMOCODIA = 'LMNPQRSTUV';
const OMOCODIA_POSITIONS = [6, 7, 9, 10, 12, 13, 14]; // 0-based
const MONTHS = 'ABCDEHLMPRST';

/** Upper case, spaces removed; empty -> null. */
export function normalizeCf(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const cf = raw.replace(/\s+/g, '').toUpperCase();
  return cf === '' ? null : cf;
}

const SHAPE = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;

export function checkCharacter(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = first15[i];
    sum += i % 2 === 0 ? ODD[c] : EVEN[c];
  }
  return ALPHA[sum % 26];
}

// The same values by character code, for isValidCf: the imports check every CF of a file (two
// million at a regional registry import), and looking the characters up by string cost a fifth
// of the registry import's JavaScript (CPU profile, docs/bench.md, "The imports of the cycle
// against COPY", 2026-12-05).
const ODD_CODE = new Int8Array(128);
const EVEN_CODE = new Int8Array(128);
for (const c of Object.keys(ODD)) {
  ODD_CODE[c.charCodeAt(0)] = ODD[c];
  EVEN_CODE[c.charCodeAt(0)] = EVEN[c];
}

/** True when the (normalized) CF has the right shape and check character. */
export function isValidCf(cf: string | null | undefined): boolean {
  if (!cf || cf.length !== 16 || !SHAPE.test(cf)) return false;
  // SHAPE leaves only A-Z and 0-9 in the first 15 characters: checkCharacter's sum, by code.
  let sum = 0;
  for (let i = 0; i < 15; i += 2) sum += ODD_CODE[cf.charCodeAt(i)];
  for (let i = 1; i < 15; i += 2) sum += EVEN_CODE[cf.charCodeAt(i)];
  return cf.charCodeAt(15) === 65 + (sum % 26);
}

function digitAt(cf: string, pos: number): string {
  const c = cf[pos];
  if (OMOCODIA_POSITIONS.includes(pos)) {
    const k = OMOCODIA.indexOf(c);
    if (k >= 0) return String(k);
  }
  return c;
}

/**
 * Birth date encoded in a valid CF, as YYYY-MM-DD, with the century chosen as the
 * latest that does not put the birth after `reference` (YYYY-MM-DD).
 * Returns null for an invalid CF or an impossible date.
 */
export function birthDateFromCf(cf: string | null | undefined, reference: string): string | null {
  if (!cf || !isValidCf(cf)) return null;
  return birthDateFromValidCf(cf, reference);
}

/** A digit position of a CF that passed SHAPE: a digit, or its omocodia letter. */
function digitValue(cf: string, pos: number): number {
  const c = cf.charCodeAt(pos);
  return c <= 57 ? c - 48 : OMOCODIA.indexOf(cf[pos]);
}

/**
 * birthDateFromCf for a CF the caller has just found valid (isValidCf): the imports check every
 * CF once and decode the valid ones, and the second check was a third of the decoding's time.
 */
export function birthDateFromValidCf(cf: string, reference: string): string | null {
  const yy = digitValue(cf, 6) * 10 + digitValue(cf, 7);
  const month = MONTHS.indexOf(cf[8]) + 1;
  let day = digitValue(cf, 9) * 10 + digitValue(cf, 10);
  if (day > 40) day -= 40;
  if (month < 1 || day < 1 || day > 31) return null;
  const refYear = Number(reference.slice(0, 4));
  let year = Math.floor(refYear / 100) * 100 + yy;
  const mmdd = `${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
  if (`${year}-${mmdd}` > reference) year -= 100;
  const iso = `${year}-${mmdd}`;
  if (year >= 1000 && year <= 9999) {
    // A four-digit year: the Gregorian calendar's days of the month, which is what the Date
    // below checks (a day past the month's end moves to the next month), without parsing.
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const last = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
    return day <= last ? iso : null;
  }
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.getUTCDate() !== day) return null;
  return iso;
}

/** Sex encoded in a valid CF ('M' or 'F'), null when invalid. */
export function sexFromCf(cf: string | null | undefined): 'M' | 'F' | null {
  if (!cf || !isValidCf(cf)) return null;
  return Number(digitAt(cf, 9) + digitAt(cf, 10)) > 40 ? 'F' : 'M';
}

/**
 * Builds a syntactically valid CF (with its check character) from parts.
 * Used by the demo data generator; names are synthetic.
 */
export function buildCf(surname3: string, name3: string, birth: string, sex: 'M' | 'F', belfiore: string): string {
  const [y, m, d] = birth.split('-').map(Number);
  const day = sex === 'F' ? d + 40 : d;
  const body =
    surname3.toUpperCase().padEnd(3, 'X').slice(0, 3) +
    name3.toUpperCase().padEnd(3, 'X').slice(0, 3) +
    String(y % 100).padStart(2, '0') +
    MONTHS[m - 1] +
    String(day).padStart(2, '0') +
    belfiore.toUpperCase();
  return body + checkCharacter(body);
}
