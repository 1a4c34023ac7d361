import type { Database } from '../db';
import { connessioneOccupata, notteInCorso } from '../fatti/notte';
import { Lru, versioneDati } from './cache';
import { caricaContesto, Contesto } from './contesto';

type Cache = <T>(key: string, fn: () => Promise<T>) => Promise<T>;

/** How long a page waits for its new document during the night before serving the last one. */
const ATTESA_NOTTE_MS = 50;

/**
 * Pages that keep answering during the night (docs/fatti.md), for every router that computes
 * documents per data version: the cruscotto's pages and the breakdowns of server/analisi.
 *
 * - `dati(oggi)`: the data version and the ambito. While PGlite's only connection is taken (an
 *   import's transaction, a job), the last ones seen, rather than queueing behind the night.
 *   PostgreSQL always asks. A new version calls `nuovaVersione` (the caller empties its memo).
 * - `documento(stabile, b, chiave, calcola)`: the document of `chiave` (cached by the caller's
 *   memo). During the night (an import or a job running) a page whose new document is not ready
 *   within ATTESA_NOTTE_MS gets the last one of the same `stabile` key (whatever its data
 *   version, with its own date of the data) while the new one is computed; once one request has
 *   found it late, the others get the last one without waiting, until it is ready.
 */
export function pagineDiNotte(db: Database, cached: Cache, nuovaVersione: () => void = () => undefined) {
  let ultima: { versione: string; contesto: Contesto } | null = null;
  let notteVista = false;
  async function dati(oggi: string): Promise<{ versione: string; contesto: Contesto }> {
    if (ultima && ultima.contesto.oggi === oggi && connessioneOccupata(db)) return ultima;
    // PGlite: whether it is night, read with the version (documento cannot ask once the
    // connection is taken, which may be by the page's own queries).
    const [versione, notte] = await Promise.all([versioneDati(db), db.engine === 'pglite' ? notteInCorso(db).catch(() => false) : false]);
    notteVista = notte;
    // Everything the caller computed for an older version is stale: forgetting it keeps one
    // version's documents in memory, not one per step of the night (a regional night changes
    // the version a dozen times, and the memo kept the data and documents of each: 2 GB).
    if (ultima && ultima.versione !== versione) nuovaVersione();
    const contesto = await cached(`contesto|${versione}|${oggi}`, () => caricaContesto(db, oggi));
    ultima = { versione, contesto };
    return ultima;
  }

  const ultimi = new Lru<{ b: unknown; chiave: string; doc: unknown }>(600);
  // Documents already found late during the night: until each is ready (or fails), the next
  // requests get the last one at once instead of waiting ATTESA_NOTTE_MS each. A new document
  // takes seconds while an import interleaves with its queries, and every request of those
  // seconds waited 50-100 ms (the scorecard's median during the cycle: 95 ms, docs/bench.md).
  const inRitardo = new Set<string>();
  async function documento<D, B>(chiaveStabile: string, b: B, chiave: string, calcola: () => Promise<D>): Promise<{ b: B; chiave: string; doc: D }> {
    const p = cached(chiave, calcola).then((doc) => {
      ultimi.set(chiaveStabile, { b, chiave, doc });
      return { b, chiave, doc };
    });
    const prima = ultimi.get(chiaveStabile) as { b: B; chiave: string; doc: D } | undefined;
    if (!prima || prima.chiave === chiave) return p;
    p.catch(() => undefined); // served late or not at all: a failure is the next request's
    if (inRitardo.has(chiave)) return prima;
    const pronto = await Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), ATTESA_NOTTE_MS))]);
    if (pronto) return pronto;
    // PGlite's connection taken (by the night, or by this page's own queries): asking whether it
    // is night would wait for it too; the answer read with the data version says. Outside the
    // night the page waits for its document: the figures are never older than the data.
    const notte = connessioneOccupata(db) ? notteVista : await notteInCorso(db).catch(() => false);
    if (!notte) return p;
    if (!inRitardo.has(chiave)) {
      inRitardo.add(chiave);
      p.then(
        () => inRitardo.delete(chiave),
        () => inRitardo.delete(chiave),
      );
    }
    return prima;
  }

  return { dati, documento };
}
