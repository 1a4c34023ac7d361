/**
 * pagineDiNotte's documents (server/cruscotto/notte.ts) while PGlite's connection is taken: the
 * first request finds the new document late and gets the last one after ATTESA_NOTTE_MS; the next
 * ones get it without waiting again, until the new one is ready. Checked by order, with the
 * timers faked: a request that waited for the timer would never answer before a turn of the
 * event loop (setImmediate, not faked).
 */
import type { Database } from '../../server/db';
import { Memo } from '../../server/cruscotto/cache';
import { pagineDiNotte } from '../../server/cruscotto/notte';

/**
 * A PGlite whose only connection is taken (server/fatti/notte.ts reads the pool), and whose
 * night, read with the data version, is `notte` (the two queries of dati(), answered here).
 */
function database(notte: boolean): Database {
  const raw = async (sql: string) => ({ rows: [/as notte/.test(sql) ? { notte } : { i: 1 }] });
  return { engine: 'pglite', knex: { raw, client: { pool: { numUsed: () => 1, numPendingAcquires: () => 0 } } } } as unknown as Database;
}

/** pagineDiNotte after one dati() (the ambito of the memo: not what is checked here). */
async function notte(night = true) {
  const memo = new Memo<unknown>();
  const n = pagineDiNotte(database(night), <T>(k: string, fn: () => Promise<T>) => (k.startsWith('contesto|') ? Promise.resolve({ oggi: '2026-11-22' } as T) : (memo.get(k, fn) as Promise<T>)));
  await n.dati('2026-11-22');
  return n;
}

const giroDelCiclo = () => new Promise<'attesa'>((r) => setImmediate(() => r('attesa')));

afterEach(() => jest.useRealTimers());

test('trovato in ritardo una volta, il documento nuovo non si fa più aspettare: le richieste seguenti hanno subito il precedente, poi il nuovo quando è pronto', async () => {
  const n = await notte();
  expect((await n.documento('pagina', 'b1', 'v1', async () => 'doc 1')).doc).toBe('doc 1');
  let finisci!: (d: string) => void;
  const calcolo = new Promise<string>((r) => (finisci = r));
  let calcoli = 0;
  const calcola = () => {
    calcoli++;
    return calcolo;
  };
  // The first request waits ATTESA_NOTTE_MS (a real timer), then gets the last document.
  const prima = await n.documento('pagina', 'b2', 'v2', calcola);
  expect(prima).toEqual({ b: 'b1', chiave: 'v1', doc: 'doc 1' });

  // The next ones: with the timers faked, waiting for one would lose the race with setImmediate.
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask', 'performance', 'Date'] });
  for (let i = 0; i < 3; i++) {
    const r = await Promise.race([n.documento('pagina', 'b2', 'v2', calcola), giroDelCiclo()]);
    expect(r).toEqual({ b: 'b1', chiave: 'v1', doc: 'doc 1' });
  }
  expect(calcoli).toBe(1); // computed once, shared

  // Ready: the new document, at once.
  finisci('doc 2');
  await giroDelCiclo();
  const r = await Promise.race([n.documento('pagina', 'b2', 'v2', calcola), giroDelCiclo()]);
  expect(r).toEqual({ b: 'b2', chiave: 'v2', doc: 'doc 2' });
});

test('un documento nuovo fallito non resta «in ritardo»: la richiesta seguente lo ricalcola e lo aspetta di nuovo', async () => {
  const n = await notte();
  await n.documento('pagina', 'b1', 'v1', async () => 'doc 1');
  let fallisci!: (e: Error) => void;
  const rotto = new Promise<string>((_r, rej) => (fallisci = rej));
  expect((await n.documento('pagina', 'b2', 'v2', () => rotto)).doc).toBe('doc 1');
  fallisci(new Error('guasto'));
  await giroDelCiclo();
  // Not marked late any more: this request waits for its (new) computation, which answers.
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask', 'performance', 'Date'] });
  const r = await Promise.race([n.documento('pagina', 'b2', 'v2', async () => 'doc 2'), giroDelCiclo()]);
  expect(r).toEqual({ b: 'b2', chiave: 'v2', doc: 'doc 2' });
});

test("fuori dalla notte la connessione presa (dalle query della pagina stessa) non basta: la pagina aspetta il suo documento nuovo", async () => {
  const n = await notte(false);
  await n.documento('pagina', 'b1', 'v1', async () => 'doc 1');
  let finisci!: (d: string) => void;
  const calcolo = new Promise<string>((r) => (finisci = r));
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask', 'performance', 'Date'] });
  const richiesta = n.documento('pagina', 'b2', 'v2', () => calcolo);
  await giroDelCiclo();
  jest.advanceTimersByTime(1_000); // far beyond ATTESA_NOTTE_MS
  expect(await Promise.race([richiesta, giroDelCiclo()])).toBe('attesa');
  finisci('doc 2');
  expect(await richiesta).toEqual({ b: 'b2', chiave: 'v2', doc: 'doc 2' });
});
