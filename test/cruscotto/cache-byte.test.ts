/**
 * The pages' memos bounded by the approximate bytes of what they keep (server/cruscotto/cache.ts,
 * server/cruscotto/dimensione.ts; docs/bench.md, memory), besides their count.
 */
import { Lru, Memo } from '../../server/cruscotto/cache';
import { dimensione } from '../../server/cruscotto/dimensione';

test('dimensione: cresce con le stringhe, le voci delle Map e gli elementi; un oggetto condiviso conta una volta', () => {
  expect(dimensione('x'.repeat(1000))).toBe(1016);
  expect(dimensione('x'.repeat(2000))).toBeGreaterThan(dimensione('x'.repeat(1000)));
  const riga = { comune: 'Lodi', n: 3 };
  const una = dimensione([riga]);
  expect(dimensione([riga, riga])).toBe(una + 8); // one more slot, the row itself once
  expect(dimensione([riga, { ...riga }])).toBeGreaterThan(una + 8);
  const m = new Map<string, Map<string, number>>();
  for (let i = 0; i < 1000; i++) m.set(`c${i}`, new Map([['adulti', i], ['minori', i]]));
  // 1,000 small maps: about 200 bytes each, as V8 keeps them (docs/bench.md).
  expect(dimensione(m)).toBeGreaterThan(150_000);
  expect(dimensione(m)).toBeLessThan(400_000);
  const ciclo: Record<string, unknown> = { a: 1 };
  ciclo.se = ciclo;
  expect(dimensione(ciclo)).toBe(24 + 16 + 16);
});

test('Lru per byte: via le meno usate di recente, la più nuova resta anche se da sola supera il limite', () => {
  const l = new Lru<string>(10, 100);
  l.set('a', 'A', 40);
  l.set('b', 'B', 40);
  l.get('a'); // a is now more recent than b
  l.set('c', 'C', 40);
  expect([l.get('a'), l.get('b'), l.get('c'), l.byte]).toEqual(['A', undefined, 'C', 80]);
  l.set('d', 'D', 500);
  expect([l.size, l.get('d'), l.byte]).toEqual([1, 'D', 500]);
  l.pesa('d', 'D', 10);
  l.set('e', 'E', 10);
  expect([l.size, l.byte]).toEqual([2, 20]);
  l.pesa('e', 'altro', 999); // not the value kept: ignored
  expect(l.byte).toBe(20);
  l.delete('e');
  expect(l.byte).toBe(10);
  l.clear();
  expect([l.size, l.byte]).toEqual([0, 0]);
  const n = new Lru<number>(2);
  n.set('x', 1);
  n.set('y', 2);
  n.set('z', 3);
  expect([n.get('x'), n.get('y'), n.get('z')]).toEqual([undefined, 2, 3]); // by count, as before
});

test('Memo per byte: il peso arriva quando il calcolo finisce; oltre il limite escono i più vecchi; un errore non resta', async () => {
  const memo = new Memo<string>(100, 3000);
  let calcoli = 0;
  const valore = (n: number) => async () => {
    calcoli++;
    return 'x'.repeat(n);
  };
  const [a1, a2] = await Promise.all([memo.get('a', valore(1000)), memo.get('a', valore(1000))]);
  expect([a1 === a2, calcoli, memo.byte]).toEqual([true, 1, 1016]);
  await memo.get('b', valore(1000));
  expect(memo.byte).toBe(2032);
  await memo.get('c', valore(1500)); // 3548 > 3000: a, the oldest, goes
  expect([memo.size, memo.byte]).toEqual([2, 2532]);
  await memo.get('a', valore(1000));
  expect(calcoli).toBe(4); // computed again
  await expect(memo.get('e', async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
  await Promise.resolve();
  expect(memo.size).toBe(2);
  expect(memo.byte).toBeLessThanOrEqual(3000);
});
