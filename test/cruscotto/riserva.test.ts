/**
 * The store of the years' raw figures (server/cruscotto/riserva.ts, riservaAnni in
 * server/cruscotto/anni-pagine.ts): kept while they fit, a new data version starts empty, a
 * failure is not kept; the scorecard of another comune reads no year again.
 */
import { Riserva } from '../../server/cruscotto/riserva';
import { describeDb } from '../support/db';
import { caricaContesto, Contesto } from '../../server/cruscotto/contesto';
import { parseFiltri } from '../../server/cruscotto/filtri';
import type { Visibilita } from '../../server/cruscotto/nodi';
import { documentiAnni, filtriAnno, riservaAnni } from '../../server/cruscotto/anni-pagine';
import { calcolaFatti } from '../../server/fatti/calcola';
import { BREMBIO, caricaDati, LODI } from './dati';

const testo = (n: number) => async () => 'x'.repeat(n);

test('Riserva: tiene finché sta nel limite, poi calcola senza tenere; le prime restano (non le ultime)', async () => {
  const r = new Riserva<string>(2500);
  let calcoli = 0;
  const conta = (n: number) => () => {
    calcoli++;
    return testo(n)();
  };
  // 1,016 bytes each (server/cruscotto/dimensione.ts): two fit, the third does not.
  for (const k of ['a', 'b', 'c']) await r.get('v1', k, conta(1000));
  expect([calcoli, r.stato]).toEqual([3, { voci: 2, byte: 2032 }]);
  // A second pass in the same order: a and b are hits, c is computed again (an LRU of the same
  // size would have evicted a for c, then b for a...: no hit at all).
  for (const k of ['a', 'b', 'c']) await r.get('v1', k, conta(1000));
  expect([calcoli, r.stato]).toEqual([4, { voci: 2, byte: 2032 }]);
});

test('Riserva: una nuova generazione riparte vuota; un calcolo della vecchia che finisce dopo non entra', async () => {
  const r = new Riserva<string>(10_000);
  let libera!: (s: string) => void;
  const lento = r.get('v1', 'a', () => new Promise<string>((res) => (libera = res)));
  await r.get('v2', 'b', testo(10));
  libera('y'.repeat(100));
  expect(await lento).toHaveLength(100);
  await Promise.resolve();
  expect(r.stato).toEqual({ voci: 1, byte: 26 });
  let calcoli = 0;
  await r.get('v2', 'a', async () => {
    calcoli++;
    return 'z';
  });
  expect(calcoli).toBe(1); // a of v1 was not kept under v2
});

test('Riserva: richieste insieme condividono il calcolo; un errore non resta', async () => {
  const r = new Riserva<string>(10_000);
  let calcoli = 0;
  const uno = () => {
    calcoli++;
    return testo(5)();
  };
  const [x, y] = await Promise.all([r.get('v', 'a', uno), r.get('v', 'a', uno)]);
  expect([x === y, calcoli]).toEqual([true, 1]);
  await expect(r.get('v', 'e', async () => Promise.reject(new Error('guasto')))).rejects.toThrow('guasto');
  await Promise.resolve();
  expect(await r.get('v', 'e', testo(1))).toBe('x');
});

const UDP: Visibilita = { udp: true, proprio: null, classe: 'udp' };

describeDb('anni a confronto: la scheda di un altro comune non rilegge gli anni dai fatti', (get) => {
  let contesto: Contesto;
  beforeAll(async () => {
    await caricaDati(get());
    contesto = await caricaContesto(get(), '2026-11-22');
    await calcolaFatti(get(), '2026-11-22');
  });

  test('stessa versione dei dati: la seconda selezione non legge nessuna tabella fatti_ delle famiglie', async () => {
    const letture: string[] = [];
    const ascolta = (q: { sql: string }) => {
      const m = q.sql.match(/fatti_(sportello|sociali|economici)\b/);
      if (m) letture.push(m[1]);
    };
    get().knex.on('query', ascolta);
    try {
      const memo = new Map<string, Promise<unknown>>();
      const cached = <T>(k: string, fn: () => Promise<T>) => (memo.get(k) ?? memo.set(k, fn()).get(k)!) as Promise<T>;
      const apri = (comune: string, versione: string) =>
        Promise.all(
          (['sportello', 'sociali', 'economici'] as const).map((p) => {
            const f = parseFiltri({ anno: '2026', comune }, p, contesto, { api: true });
            return documentiAnni(get(), cached, { versione, contesto, v: UDP }, f.anno, [p], (_p, a) => filtriAnno(f, a, true));
          }),
        );
      await apri(LODI, 'r1');
      const prima = letture.length;
      expect(new Set(letture)).toEqual(new Set(['sportello', 'sociali', 'economici']));
      expect(riservaAnni(get()).stato.voci).toBeGreaterThan(3);
      await apri(BREMBIO, 'r1');
      expect(letture.length).toBe(prima);
      // Another data version reads them again.
      await apri(BREMBIO, 'r2');
      expect(letture.length).toBeGreaterThan(prima);
    } finally {
      get().knex.off('query', ascolta);
    }
  });
});
