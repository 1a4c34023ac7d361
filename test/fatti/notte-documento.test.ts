/**
 * pagineDiNotte's documents (server/cruscotto/notte.ts). A night seen with the data version:
 * the last document at once, nothing computed until the night ends. A night that starts after
 * that reading (PostgreSQL asks again when the new document is late): the first request finds
 * the new document late and gets the last one after ATTESA_NOTTE_MS; the next ones get it
 * without waiting again, until the new one is ready. Checked by order, with the timers faked: a
 * request that waited for the timer would never answer before a turn of the event loop
 * (setImmediate, not faked).
 */
import type { Database } from '../../server/db';
import { Memo } from '../../server/cruscotto/cache';
import { pagineDiNotte } from '../../server/cruscotto/notte';

/**
 * A database whose night is `stato.notte` when asked (the two queries of dati(), answered here).
 * PGlite: its only connection is taken while `stato.occupata` (server/fatti/notte.ts reads the pool).
 */
function database(stato: { notte: boolean; occupata: boolean }, engine: 'pglite' | 'postgres'): Database {
  // The version and the night are one statement for the pages (versioneENotte), two elsewhere.
  const raw = async (sql: string) => ({ rows: [{ ...(/as notte/.test(sql) ? { notte: stato.notte } : {}), ...(/ as i,/.test(sql) ? { i: 1 } : {}) }] });
  return { engine, knex: { raw, client: { pool: { numUsed: () => (stato.occupata ? 1 : 0), numPendingAcquires: () => 0 } } } } as unknown as Database;
}

/** pagineDiNotte after one dati() (the ambito of the memo: not what is checked here). */
async function notte(night = true, engine: 'pglite' | 'postgres' = 'pglite') {
  const memo = new Memo<unknown>();
  const stato = { notte: night, occupata: true };
  const n = pagineDiNotte(database(stato, engine), <T>(k: string, fn: () => Promise<T>) => (k.startsWith('contesto|') ? Promise.resolve({ oggi: '2026-11-22' } as T) : (memo.get(k, fn) as Promise<T>)));
  await n.dati('2026-11-22');
  return Object.assign(n, { stato });
}

const giroDelCiclo = () => new Promise<'attesa'>((r) => setImmediate(() => r('attesa')));

afterEach(() => jest.useRealTimers());

test('di notte (letta con la versione dei dati) il documento precedente subito, nulla di nuovo calcolato; finita la notte il nuovo, atteso', async () => {
  for (const engine of ['pglite', 'postgres'] as const) {
    const n = await notte(true, engine);
    expect((await n.documento('pagina', 'b1', 'v1', async () => 'doc 1')).doc).toBe('doc 1');
    let calcoli = 0;
    const calcola = async () => {
      calcoli++;
      return 'doc 2';
    };
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask', 'performance', 'Date'] });
    for (let i = 0; i < 3; i++) expect(await Promise.race([n.documento('pagina', 'b2', 'v2', calcola), giroDelCiclo()])).toEqual({ b: 'b1', chiave: 'v1', doc: 'doc 1' });
    expect(calcoli).toBe(0);
    // The night is over (read with the data version): the new document, computed and awaited.
    n.stato.notte = false;
    n.stato.occupata = false;
    await n.dati('2026-11-22');
    expect(await n.documento('pagina', 'b2', 'v2', calcola)).toEqual({ b: 'b2', chiave: 'v2', doc: 'doc 2' });
    expect(calcoli).toBe(1);
    jest.useRealTimers();
  }
});

test('la notte cominciata dopo la lettura della versione: trovato in ritardo una volta, il documento nuovo non si fa più aspettare; le richieste seguenti hanno subito il precedente, poi il nuovo quando è pronto', async () => {
  const n = await notte(false, 'postgres');
  expect((await n.documento('pagina', 'b1', 'v1', async () => 'doc 1')).doc).toBe('doc 1');
  n.stato.notte = true;
  let finisci!: (d: string) => void;
  const calcolo = new Promise<string>((r) => (finisci = r));
  let calcoli = 0;
  const calcola = () => {
    calcoli++;
    return calcolo;
  };
  // The first request waits ATTESA_NOTTE_MS (a real timer), asks whether it is night, then gets the last document.
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
  const n = await notte(false, 'postgres');
  await n.documento('pagina', 'b1', 'v1', async () => 'doc 1');
  n.stato.notte = true;
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
