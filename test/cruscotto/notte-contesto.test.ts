/**
 * pagineDiNotte (server/cruscotto/notte.ts) when the data version changes while pages are
 * asked: the memo is emptied once per new version, not by every request that arrives while the
 * new ambito loads; during the night a request does not wait for that ambito (it may wait for an
 * import's locks on PostgreSQL) but gets the last version, whose documents are served without
 * being computed again; outside the night it waits. Fake database (PostgreSQL: the connection
 * is never "taken"), the ambito's load under the test's control.
 */
import type { Database } from '../../server/db';
import { Memo } from '../../server/cruscotto/cache';
import type { Contesto } from '../../server/cruscotto/contesto';
import { pagineDiNotte } from '../../server/cruscotto/notte';

const OGGI = '2026-11-22';

function prova(notteIniziale: boolean) {
  const stato = { versione: 1, notte: notteIniziale };
  // The version and the night are one statement for the pages (versioneENotte), two elsewhere.
  const raw = async (sql: string) => ({ rows: [{ ...(/as notte/.test(sql) ? { notte: stato.notte } : {}), ...(/ as i,/.test(sql) ? { i: stato.versione } : {}) }] });
  const db = { engine: 'postgres', knex: { raw } } as unknown as Database;
  const memo = new Memo<unknown>();
  let svuotamenti = 0;
  // The ambito of each version: loaded when the test says so.
  const carichi = new Map<string, { fatto: (c: Contesto) => void; volte: number }>();
  const cached = <T>(k: string, fn: () => Promise<T>): Promise<T> => {
    if (!k.startsWith('contesto|')) return memo.get(k, fn) as Promise<T>;
    return memo.get(k, () => {
      const c = carichi.get(k) ?? { fatto: () => undefined, volte: 0 };
      c.volte++;
      carichi.set(k, c);
      return new Promise<Contesto>((r) => (c.fatto = r));
    }) as Promise<T>;
  };
  const n = pagineDiNotte(db, cached, () => {
    svuotamenti++;
    memo.clear();
  });
  const carica = (versione: number) => carichi.get(`contesto|${versione}////////|${OGGI}`)!;
  return { n, stato, carica, svuotamenti: () => svuotamenti };
}

const contesto = (nome: string) => ({ oggi: OGGI, nome }) as unknown as Contesto;
const giroDelCiclo = () => new Promise<'attesa'>((r) => setImmediate(() => r('attesa')));

afterEach(() => jest.useRealTimers());

test("di notte l'ambito di una versione nuova non si aspetta: la versione di prima e i suoi documenti, senza ricalcolarli; la memo si svuota una volta sola", async () => {
  const p = prova(true);
  const primo = p.n.dati(OGGI);
  await giroDelCiclo();
  p.carica(1).fatto(contesto('v1'));
  const d1 = await primo;
  let calcoli = 0;
  const calcola = async () => `doc ${++calcoli}`;
  expect((await p.n.documento('pagina', d1, `doc|${d1.versione}`, calcola)).doc).toBe('doc 1');

  p.stato.versione = 2;
  // The first request waits ATTESA_NOTTE_MS (a real timer), then gets the last version.
  const d2 = await p.n.dati(OGGI);
  expect(d2).toBe(d1);
  // Its document: the one already computed, not computed again (the memo was emptied).
  expect(await p.n.documento('pagina', d2, `doc|${d2.versione}`, calcola)).toEqual({ b: d1, chiave: `doc|${d1.versione}`, doc: 'doc 1' });
  expect(calcoli).toBe(1);

  // The next requests: the last version at once (with the timers faked, waiting would lose the race).
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask', 'performance', 'Date'] });
  for (let i = 0; i < 3; i++) expect(await Promise.race([p.n.dati(OGGI), giroDelCiclo()])).toBe(d1);
  expect(p.svuotamenti()).toBe(1);
  expect(p.carica(2).volte).toBe(1); // one load of the new ambito, shared

  // Loaded: the new version, at once.
  p.carica(2).fatto(contesto('v2'));
  await giroDelCiclo();
  const nuova = await Promise.race([p.n.dati(OGGI), giroDelCiclo()]);
  expect(nuova).toMatchObject({ versione: '2////////', contesto: { nome: 'v2' } });
  expect(p.svuotamenti()).toBe(1);
});

test("fuori dalla notte si aspetta l'ambito della versione nuova; la memo si svuota una volta anche con più richieste in attesa", async () => {
  const p = prova(false);
  const primo = p.n.dati(OGGI);
  await giroDelCiclo();
  p.carica(1).fatto(contesto('v1'));
  await primo;
  p.stato.versione = 2;
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask', 'performance', 'Date'] });
  const richieste = [p.n.dati(OGGI), p.n.dati(OGGI), p.n.dati(OGGI)];
  await giroDelCiclo();
  jest.advanceTimersByTime(1_000); // far beyond ATTESA_NOTTE_MS
  expect(await Promise.race([richieste[0], giroDelCiclo()])).toBe('attesa');
  expect(p.svuotamenti()).toBe(1);
  expect(p.carica(2).volte).toBe(1);
  p.carica(2).fatto(contesto('v2'));
  for (const r of await Promise.all(richieste)) expect(r).toMatchObject({ versione: '2////////', contesto: { nome: 'v2' } });
});
