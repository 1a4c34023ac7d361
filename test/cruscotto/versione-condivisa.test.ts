/**
 * The data version of the pages (server/cruscotto/notte.ts, `dati`) is read by one statement
 * at a time, shared by the requests that arrive while one is in flight, and never older than a
 * request: a request that finds a reading in flight waits for the next one, started after it
 * arrived. Fake database whose statements the test answers one by one.
 */
import type { Database } from '../../server/db';
import { Memo } from '../../server/cruscotto/cache';
import type { Contesto } from '../../server/cruscotto/contesto';
import { pagineDiNotte } from '../../server/cruscotto/notte';

const OGGI = '2026-11-22';

function prova() {
  const stato = { versione: 1 };
  // Each statement: the version it read (when it started) and its answer, given by the test.
  const inviati: { versione: number; rispondi: () => void }[] = [];
  const raw = (sql: string) =>
    new Promise((resolve) => {
      expect(sql).toMatch(/as notte/);
      const versione = stato.versione;
      inviati.push({ versione, rispondi: () => resolve({ rows: [{ notte: false, i: versione }] }) });
    });
  const db = { engine: 'postgres', knex: { raw } } as unknown as Database;
  const memo = new Memo<unknown>();
  const cached = <T>(k: string, fn: () => Promise<T>): Promise<T> => (k.startsWith('contesto|') ? (Promise.resolve({ oggi: OGGI } as unknown as Contesto) as Promise<T>) : (memo.get(k, fn) as Promise<T>));
  return { n: pagineDiNotte(db, cached), stato, inviati };
}

const giri = async (k = 5) => {
  for (let i = 0; i < k; i++) await new Promise((r) => setImmediate(r));
};

test('le richieste che arrivano mentre una lettura è in corso ne condividono una sola, la successiva', async () => {
  const p = prova();
  const a = p.n.dati(OGGI);
  await giri();
  expect(p.inviati).toHaveLength(1);
  // Twenty requests while the first reading runs: none sends its own.
  const altre = Array.from({ length: 20 }, () => p.n.dati(OGGI));
  await giri();
  expect(p.inviati).toHaveLength(1);
  p.inviati[0].rispondi();
  expect((await a).versione).toBe('1////////');
  await giri();
  // One more reading for all twenty, started after they arrived.
  expect(p.inviati).toHaveLength(2);
  p.inviati[1].rispondi();
  const versioni = new Set((await Promise.all(altre)).map((d) => d.versione));
  expect([...versioni]).toEqual(['1////////']);
  expect(p.inviati).toHaveLength(2);
});

test('una richiesta arrivata dopo un cambiamento non riceve la lettura partita prima', async () => {
  const p = prova();
  const prima = p.n.dati(OGGI);
  await giri();
  // An import commits while the first reading is in flight; then a request arrives.
  p.stato.versione = 2;
  const dopo = p.n.dati(OGGI);
  await giri();
  p.inviati[0].rispondi();
  expect((await prima).versione).toBe('1////////');
  await giri();
  expect(p.inviati).toHaveLength(2);
  p.inviati[1].rispondi();
  expect((await dopo).versione).toBe('2////////');
});

test('una lettura non riuscita non blocca le successive', async () => {
  let fallisci = true;
  const db = { engine: 'postgres', knex: { raw: async () => {
    if (fallisci) throw new Error('database assente');
    return { rows: [{ notte: false, i: 7 }] };
  } } } as unknown as Database;
  const n = pagineDiNotte(db, <T>(_k: string, _fn: () => Promise<T>) => Promise.resolve({ oggi: OGGI } as unknown as T));
  await expect(n.dati(OGGI)).rejects.toThrow('database assente');
  fallisci = false;
  expect((await n.dati(OGGI)).versione).toBe('7////////');
});
