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

/** True when the (normalized) CF has the right shape and check character. */
export function isValidCf(cf: string | null | undefined): boolean {
  if (!cf || cf.length !== 16 || !SHAPE.test(cf)) return false;
  return checkCharacter(cf.slice(0, 15)) === cf[15];
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
  const yy = Number(digitAt(cf, 6) + digitAt(cf, 7));
  const month = MONTHS.indexOf(cf[8]) + 1;
  let day = Number(digitAt(cf, 9) + digitAt(cf, 10));
  if (day > 40) day -= 40;
  if (month < 1 || day < 1 || day > 31) return null;
  const refYear = Number(reference.slice(0, 4));
  let year = Math.floor(refYear / 100) * 100 + yy;
  const mmdd = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (`${year}-${mmdd}` > reference) year -= 100;
  const iso = `${year}-${mmdd}`;
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
