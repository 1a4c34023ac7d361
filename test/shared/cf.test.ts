/**
 * The imports' codice fiscale and address readings, rewritten for speed on 2026-12-05 (character
 * codes instead of string lookups, the calendar instead of a Date, a fast path for the usual
 * address: docs/bench.md, "The imports of the cycle against COPY"), against the code they
 * replaced, kept here as it was: same answer for every input, valid or not.
 */
import { birthDateFromCf, birthDateFromValidCf, buildCf, checkCharacter, isValidCf } from '../../server/shared/cf';
import { normalizeAddress } from '../../server/importazione/valori';

const OMOCODIA = 'LMNPQRSTUV';
const MONTHS = 'ABCDEHLMPRST';
const SHAPE = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;

function vecchioIsValid(cf: string | null | undefined): boolean {
  if (!cf || cf.length !== 16 || !SHAPE.test(cf)) return false;
  return checkCharacter(cf.slice(0, 15)) === cf[15];
}

function vecchiaCifra(cf: string, pos: number): string {
  const c = cf[pos];
  if ([6, 7, 9, 10, 12, 13, 14].includes(pos)) {
    const k = OMOCODIA.indexOf(c);
    if (k >= 0) return String(k);
  }
  return c;
}

function vecchiaNascita(cf: string | null | undefined, reference: string): string | null {
  if (!cf || !vecchioIsValid(cf)) return null;
  const yy = Number(vecchiaCifra(cf, 6) + vecchiaCifra(cf, 7));
  const month = MONTHS.indexOf(cf[8]) + 1;
  let day = Number(vecchiaCifra(cf, 9) + vecchiaCifra(cf, 10));
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

function vecchioIndirizzo(raw: string | null): string | null {
  if (raw == null) return null;
  const s = raw.trim().replace(/\s+/g, ' ').toUpperCase();
  return s === '' ? null : s;
}

/** A small deterministic generator (no Math.random: the same cases every run). */
function generatore(seme: number): () => number {
  let x = seme;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

describe('codice fiscale: the fast reading gives what the old one gave', () => {
  const rnd = generatore(21);
  const pick = (s: string) => s[Math.floor(rnd() * s.length)];
  const DIGITS = '0123456789' + OMOCODIA;
  const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

  /** A CF of the right shape, any month letter and day (0-79, impossible ones too), any century. */
  function cfQualsiasi(): string {
    const dd = Math.floor(rnd() * 80);
    const cifra = (d: number) => (rnd() < 0.3 ? OMOCODIA[d] : String(d));
    const corpo =
      Array.from({ length: 6 }, () => pick(UPPER)).join('') +
      cifra(Math.floor(rnd() * 10)) +
      cifra(Math.floor(rnd() * 10)) +
      pick(MONTHS) +
      cifra(Math.floor(dd / 10)) +
      cifra(dd % 10) +
      pick(UPPER) +
      pick(DIGITS) +
      pick(DIGITS) +
      pick(DIGITS);
    return corpo + checkCharacter(corpo);
  }

  const riferimenti = ['2026-11-22', '2000-02-28', '2000-03-01', '1999-12-31', '2100-01-01', '1900-06-15', '2024-02-29', '0999-05-05', '12026-01-01', 'xxxx-01-01'];

  test('random CFs, valid and with a wrong check character, against ten reference dates', () => {
    let valide = 0;
    let date = 0;
    const diversi: unknown[] = [];
    for (let i = 0; i < 40000; i++) {
      const giusto = cfQualsiasi();
      const cf = i % 4 === 0 ? giusto.slice(0, 15) + (giusto[15] === 'A' ? 'B' : 'A') : giusto;
      const rif = riferimenti[i % riferimenti.length];
      const atteso = vecchiaNascita(cf, rif);
      const valida = isValidCf(cf);
      if (valida !== vecchioIsValid(cf) || birthDateFromCf(cf, rif) !== atteso || (valida && birthDateFromValidCf(cf, rif) !== atteso)) diversi.push([cf, rif, atteso]);
      if (valida) valide++;
      if (atteso) date++;
    }
    expect(diversi).toEqual([]);
    // The generator reaches both answers of each question.
    expect(valide).toBeGreaterThan(25000);
    expect(date).toBeGreaterThan(10000);
    expect(date).toBeLessThan(valide);
  });

  test('the calendar edges: 29 February of leap and common years, 31 of 30-day months, days 0 and 71', () => {
    const casi: [string, string, string | null][] = [
      ['2024-02-29', '2026-11-22', '2024-02-29'],
      ['2000-02-29', '2026-11-22', '2000-02-29'],
      ['1900-02-28', '1950-01-01', '1900-02-28'],
      ['1980-04-30', '2026-11-22', '1980-04-30'],
      ['1980-12-31', '2026-11-22', '1980-12-31'],
    ];
    for (const [nascita, rif, atteso] of casi) {
      for (const sesso of ['M', 'F'] as const) expect(birthDateFromCf(buildCf('ROSSI', 'MARIO', nascita, sesso, 'H501'), rif)).toBe(atteso);
    }
    // Impossible dates, written by hand (buildCf takes a real date): 29/02/1900 (not a leap
    // year), 29/02/2023, 31/04, 31/06, 31/09, 31/11, day 00, day 32, day 40, day 71 (31 + 40 ok).
    const corpo = (yy: string, m: string, dd: string) => `RSSMRA${yy}${m}${dd}H501`;
    const conCarattere = (c: string) => c + checkCharacter(c);
    const impossibili: [string, string][] = [
      [corpo('00', 'B', '29'), '1950-01-01'],
      [corpo('23', 'B', '29'), '2026-11-22'],
      [corpo('23', 'B', '69'), '2026-11-22'],
      [corpo('80', 'D', '31'), '2026-11-22'],
      [corpo('80', 'H', '31'), '2026-11-22'],
      [corpo('80', 'P', '31'), '2026-11-22'],
      [corpo('80', 'S', '31'), '2026-11-22'],
      [corpo('80', 'A', '00'), '2026-11-22'],
      [corpo('80', 'A', '32'), '2026-11-22'],
      [corpo('80', 'A', '40'), '2026-11-22'],
    ];
    for (const [c, rif] of impossibili) {
      const cf = conCarattere(c);
      expect(isValidCf(cf)).toBe(true);
      expect(birthDateFromCf(cf, rif)).toBeNull();
      expect(vecchiaNascita(cf, rif)).toBeNull();
    }
    expect(birthDateFromCf(conCarattere(corpo('80', 'A', '71')), '2026-11-22')).toBe('1980-01-31');
    expect(birthDateFromCf(conCarattere(corpo('00', 'B', '29')), '2026-11-22')).toBe('2000-02-29');
    // Omocodia letters in the digit positions: L = 0, M = 1, T = 7 (the day 71 -> 31 as above).
    expect(birthDateFromCf(conCarattere(corpo('8L', 'A', 'TM')), '2026-11-22')).toBe('1980-01-31');
  });
});

describe('address normalization: the fast path gives what the regular expressions gave', () => {
  test('spaces, tabs, non-breaking and other Unicode spaces, accents, lower case, empty', () => {
    const pezzi = ['via', 'Via', 'ROMA', 'dell\'Orso', 'n.', '12/a', ' ', '  ', '\t', '\u00a0', '\u2003', '\n', 'è', 'São', 'ß', '', 'x'];
    const rnd = generatore(7);
    const casi = ['', ' ', 'a', 'A', ' a', 'a ', 'a  b', 'a b', '\u00a0a', 'a\u00a0', 'VIA ROMA 1', 'via roma 1', 'Straße 3'];
    for (let i = 0; i < 20000; i++) casi.push(Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => pezzi[Math.floor(rnd() * pezzi.length)]).join(''));
    expect(casi.filter((s) => normalizeAddress(s) !== vecchioIndirizzo(s))).toEqual([]);
    expect(normalizeAddress(null)).toBeNull();
    expect(normalizeAddress('  via  Roma\t1 ')).toBe('VIA ROMA 1');
    expect(normalizeAddress('via roma 1')).toBe('VIA ROMA 1');
  });
});
