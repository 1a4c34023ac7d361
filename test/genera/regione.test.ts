/**
 * The regione scale is too slow for the suite (it is run by hand): here only its pure
 * parts, the population distribution and the synthetic comuni.
 */
import { Rng } from '../../server/genera/rng';
import { comuniRegione, popolazioniRegione } from '../../server/genera/regione';

test('population distribution: exact total, many small comuni, a few large ones', () => {
  const pops = popolazioniRegione(new Rng(1, 'test'), 1500, 10_000_000);
  expect(pops).toHaveLength(1500);
  expect(pops.reduce((a, b) => a + b, 0)).toBe(10_000_000);
  expect(Math.min(...pops)).toBeGreaterThanOrEqual(40);
  const sotto3000 = pops.filter((p) => p < 3000).length;
  expect(sotto3000).toBeGreaterThan(1500 * 0.4);
  const oltre100k = pops.filter((p) => p > 100_000).length;
  expect(oltre100k).toBeGreaterThanOrEqual(1);
  expect(oltre100k).toBeLessThanOrEqual(15);
  expect(popolazioniRegione(new Rng(1, 'test'), 1500, 10_000_000)).toEqual(pops);
});

test('synthetic region: ~1,500 comuni with unique codes, names and Belfiore codes in ~90 ambiti', () => {
  const comuni = comuniRegione(7);
  expect(comuni).toHaveLength(1500);
  expect(new Set(comuni.map((c) => c.istat)).size).toBe(1500);
  expect(new Set(comuni.map((c) => c.nome)).size).toBe(1500);
  expect(new Set(comuni.map((c) => c.belfiore)).size).toBe(1500);
  for (const c of comuni) {
    expect(c.istat).toMatch(/^\d{6}$/);
    expect(c.belfiore).toMatch(/^[WY]\d{3}$/);
  }
  const ambiti = new Set(comuni.map((c) => c.distretto));
  expect(ambiti.size).toBeGreaterThanOrEqual(80);
  expect(ambiti.size).toBeLessThanOrEqual(100);
  expect(comuni.reduce((s, c) => s + c.popolazione, 0)).toBe(10_000_000);
  expect(comuniRegione(7)).toEqual(comuni);
});

test('a quarter of the region (the middle point of the growth curve): 375 comuni, 2.5 M residents, 23 ambiti', () => {
  const comuni = comuniRegione(7, 'quarto');
  expect(comuni).toHaveLength(375);
  expect(new Set(comuni.map((c) => c.istat)).size).toBe(375);
  expect(new Set(comuni.map((c) => c.belfiore)).size).toBe(375);
  expect(new Set(comuni.map((c) => c.distretto)).size).toBe(23);
  expect(comuni.reduce((s, c) => s + c.popolazione, 0)).toBe(2_500_000);
});
