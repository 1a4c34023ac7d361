/**
 * The rows kept as columns (server/cruscotto/righe-compatte.ts): given back equal, in the same
 * order or in ordinate's, numeric texts as their numbers and nothing else changed; far smaller.
 */
import { RigheCompatte } from '../../server/cruscotto/righe-compatte';
import { dimensione } from '../../server/cruscotto/dimensione';
import { ordinate } from '../../server/fatti/leggi';

type R = { istat: string | null; area: string; n: unknown; costo: unknown };

test('le righe tornano uguali: testi (anche vuoti, null, accentati), numeri e testi numerici come numeri', () => {
  const righe: R[] = [
    { istat: '098031', area: 'minori', n: '12', costo: '238.60' },
    { istat: null, area: '', n: 0, costo: '-5.25' },
    { istat: '098031', area: 'età ≥ 65', n: 3, costo: '1234567890123.5' },
  ];
  const c = RigheCompatte.da(righe, ['istat', 'area'], ['n', 'costo']);
  expect(c.length).toBe(3);
  expect(c.righe()).toEqual([
    { istat: '098031', area: 'minori', n: 12, costo: 238.6 },
    { istat: null, area: '', n: 0, costo: -5.25 },
    { istat: '098031', area: 'età ≥ 65', n: 3, costo: 1234567890123.5 },
  ]);
  // Every reader takes a figure through Number(): the same value as from the text.
  righe.forEach((r, i) => expect(Number(c.righe()[i].costo)).toBe(Number(r.costo)));
  // New objects at each call: a reader changing them changes nothing kept.
  const a = c.righe();
  a[0].area = 'cambiata';
  expect(c.righe()[0].area).toBe('minori');
});

test('una colonna di numeri con un valore che non è un numero (null, testo, 1e3, infinito) resta com’era', () => {
  for (const strano of [null, 'n.d.', '1e3', ' 5', Infinity, NaN]) {
    const righe: R[] = [
      { istat: 'a', area: 'x', n: 1, costo: '2.50' },
      { istat: 'b', area: 'y', n: strano, costo: '3' },
    ];
    const back = RigheCompatte.da(righe, ['istat', 'area'], ['n', 'costo']).righe();
    expect(back.map((r) => r.n)).toEqual([1, strano]);
    expect(back.map((r) => r.costo)).toEqual([2.5, 3]);
  }
});

test("con un ordine: le righe nell'ordine di ordinate (stabile), che allora le trova già in fila", () => {
  const righe: R[] = [
    { istat: '2', area: 'b', n: 1, costo: 0 },
    { istat: '10', area: 'a', n: 2, costo: 0 },
    { istat: '2', area: 'a', n: 3, costo: 0 },
    { istat: '2', area: 'b', n: 4, costo: 0 }, // equal key to the first: stays after it
    { istat: null, area: 'z', n: 5, costo: 0 },
  ];
  const back = RigheCompatte.da(righe, ['istat', 'area'], ['n', 'costo'], ['istat', 'area']).righe();
  expect(back.map((r) => r.n)).toEqual([5, 2, 3, 1, 4]);
  expect(back).toEqual(ordinate(righe, 'istat', 'area').map((r) => ({ ...r, n: Number(r.n), costo: Number(r.costo) })));
  // ordinate of rows already in order gives them in that same order.
  expect(ordinate(back, 'istat', 'area')).toEqual(back);
});

test('ordinate: la stessa fila delle chiavi unite da U+0000 (un prefisso viene prima)', () => {
  const righe = [
    { a: 'ab', b: 'c' },
    { a: 'a', b: 'z' },
    { a: 'a', b: '' },
    { a: 'a', b: 'b' },
    { a: '', b: 'x' },
    { a: 'b', b: 'a' },
  ];
  const chiave = (r: { a: string; b: string }) => `${r.a}\u0000${r.b}`;
  const attesa = [...righe].sort((x, y) => (chiave(x) < chiave(y) ? -1 : chiave(x) > chiave(y) ? 1 : 0));
  expect(ordinate(righe, 'a', 'b')).toEqual(attesa);
  expect(ordinate(righe, 'a', 'b').map((r) => `${r.a}|${r.b}`)).toEqual(['|x', 'a|', 'a|b', 'a|z', 'ab|c', 'b|a']);
});

test('oltre 65.535 testi diversi in una colonna: indici a 32 bit, righe uguali', () => {
  const righe: R[] = Array.from({ length: 70_000 }, (_, i) => ({ istat: `c${i}`, area: i % 2 ? 'a' : 'b', n: i, costo: `${i}.5` }));
  const back = RigheCompatte.da(righe, ['istat', 'area'], ['n', 'costo']).righe();
  expect(back[69_999]).toEqual({ istat: 'c69999', area: 'a', n: 69_999, costo: 69_999.5 });
  expect(back.every((r, i) => r.istat === `c${i}` && r.n === i)).toBe(true);
});

test('il peso: una frazione delle stesse righe come oggetti (i comuni e le aree si ripetono)', () => {
  const righe: R[] = Array.from({ length: 20_000 }, (_, i) => ({ istat: `0980${String(i % 1500).padStart(2, '0')}`, area: ['minori', 'adulti', 'anziani'][i % 3], n: String(i % 97), costo: `${i % 1000}.25` }));
  const oggetti = dimensione(righe);
  const colonne = dimensione(RigheCompatte.da(righe, ['istat', 'area'], ['n', 'costo']));
  expect(colonne).toBeLessThan(oggetti / 4);
});

test('numeri interi in 4 byte, con decimali (o -0, o oltre 2^31) in 8: sempre lo stesso valore', () => {
  const casi: unknown[][] = [
    [1, '2', 2147483647, -2147483647],
    [1, '2.5'],
    [1, 2147483648],
    [1, -0],
  ];
  for (const valori of casi) {
    const righe = valori.map((n) => ({ istat: 'a', area: 'x', n, costo: 0 }));
    const back = RigheCompatte.da(righe, ['istat', 'area'], ['n', 'costo']).righe();
    back.forEach((r, i) => expect(Object.is(r.n, Number(valori[i]))).toBe(true));
  }
  const piccole = (n: unknown) => dimensione(RigheCompatte.da(Array.from({ length: 1000 }, () => ({ istat: 'a', area: 'x', n, costo: 0 })), ['istat', 'area'], ['n', 'costo']));
  expect(piccole(7)).toBeLessThan(piccole(7.5) - 3000);
});
