/** ImpronteCf: whether a codice fiscale repeats in a registry file, from hashes only. */
import { ImpronteCf } from '../../server/importazione/anagrafe';

const cf = (i: number) => `RSSMRA80A01H${String(i).padStart(4, '0')}${String.fromCharCode(65 + (i % 26))}`;

describe('ImpronteCf', () => {
  test('no repeat among 200,000 distinct codes (the array grows past its first 65,536)', () => {
    const f = new ImpronteCf();
    for (let i = 0; i < 200_000; i++) f.add(`${cf(i % 10_000)}${Math.floor(i / 10_000)}`);
    expect(f.anyRepeated()).toBe(false);
  });

  test('one code repeated anywhere, first and last included, is seen', () => {
    for (const [a, b] of [
      [0, 99_999],
      [70_000, 70_001],
      [5, 80_000],
    ]) {
      const f = new ImpronteCf();
      for (let i = 0; i < 100_000; i++) f.add(i === b ? `X${a}` : `X${i}`);
      expect(f.anyRepeated()).toBe(true);
    }
  });

  test('an empty file and a single code repeat nothing', () => {
    expect(new ImpronteCf().anyRepeated()).toBe(false);
    const f = new ImpronteCf();
    f.add(cf(1));
    expect(f.anyRepeated()).toBe(false);
  });
});
