import type { Database } from '../db';
import { connessioneOccupata, notteInCorso } from '../fatti/notte';
import { Lru, versioneENotte } from './cache';
import { dimensione } from './dimensione';
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
 *   PostgreSQL always asks. A new version calls `nuovaVersione` once (the caller empties its
 *   memo). During the night, when the ambito of a new version is not loaded within
 *   ATTESA_NOTTE_MS, the last version and ambito, until it is.
 * - `documento(stabile, b, chiave, calcola)`: the document of `chiave` (cached by the caller's
 *   memo). During the night (an import or a job running, as read with the data version) a page
 *   gets the last document of the same `stabile` key (whatever its data version, with its own
 *   date of the data) and no new one is computed until the night ends. If the night starts
 *   after that reading, a page whose new document is not ready within ATTESA_NOTTE_MS gets the
 *   last one while the new one is computed; once one request has found it late, the others get
 *   the last one without waiting, until it is ready.
 */
export function pagineDiNotte(db: Database, cached: Cache, nuovaVersione: () => void = () => undefined) {
  let ultima: { versione: string; contesto: Contesto } | null = null;
  let notteVista = false;
  // The version whose memo was last emptied: emptied once per change, not by every request that
  // arrives while the new ambito loads (each of them emptied the memo again, and with it the
  // ambito being loaded: 20 connections, 20 loads of it per change).
  let versioneVista: string | null = null;
  // The ambito of a new version found late during the night: until it is loaded, the next
  // requests keep the last version at once.
  const contestiInRitardo = new Set<string>();
  // The data version is read by one statement at a time, shared: at 20 connections each request
  // sent its own two (docs/bench.md, «The overview's bytes»). A request that finds a reading in
  // flight waits for the next one, which starts when that one ends and serves every request
  // that arrived meanwhile: each request's reading starts after the request arrived, so a page
  // asked after an import or a job committed always sees it.
  let corrente: Promise<{ versione: string; notte: boolean }> | null = null;
  let prossima: Promise<{ versione: string; notte: boolean }> | null = null;
  const avvia = () => {
    const p = versioneENotte(db);
    corrente = p;
    const via = () => {
      if (corrente === p) corrente = null;
    };
    p.then(via, via);
    return p;
  };
  const leggiVersione = () => {
    if (!corrente) return avvia();
    if (!prossima) {
      prossima = corrente.then(
        () => undefined,
        () => undefined,
      ).then(() => {
        prossima = null;
        return avvia();
      });
    }
    return prossima;
  };
  async function dati(oggi: string): Promise<{ versione: string; contesto: Contesto }> {
    if (ultima && ultima.contesto.oggi === oggi && connessioneOccupata(db)) return ultima;
    // Whether it is night, read with the version: on PGlite documento cannot ask once the
    // connection is taken (maybe by the page's own queries); on PostgreSQL the ambito of a new
    // version may wait for an import's locks (below).
    const { versione, notte } = await leggiVersione();
    notteVista = notte;
    // Everything the caller computed for an older version is stale: forgetting it keeps one
    // version's documents in memory, not one per step of the night (a regional night changes
    // the version a dozen times, and the memo kept the data and documents of each: 2 GB).
    if (versioneVista !== null && versioneVista !== versione) nuovaVersione();
    versioneVista = versione;
    const chiave = `contesto|${versione}|${oggi}`;
    const p = cached(chiave, () => caricaContesto(db, oggi));
    const prima = ultima;
    if (notte && prima && prima.versione !== versione && prima.contesto.oggi === oggi) {
      // During the night the ambito of a new version (the years with data: min/max over the
      // SIZ tables) waits for an import's swap of those tables, seconds at the regional scale,
      // and every request waited with it (docs/bench.md). The last version meanwhile: its
      // documents are the last ones (documento).
      p.catch(() => undefined);
      if (contestiInRitardo.has(chiave)) return prima;
      const pronto = await Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), ATTESA_NOTTE_MS))]);
      if (!pronto) {
        contestiInRitardo.add(chiave);
        const via = () => contestiInRitardo.delete(chiave);
        p.then((contesto) => {
          via();
          if (versioneVista === versione) ultima = { versione, contesto };
        }, via);
        return prima;
      }
    }
    const contesto = await p;
    ultima = { versione, contesto };
    return ultima;
  }

  // The last document of each page: the memo's own while the version holds, the only copy once a
  // new version emptied the memo; bounded by their approximate bytes too (server/cruscotto/cache.ts).
  const ultimi = new Lru<{ b: unknown; chiave: string; doc: unknown }>(600, 64e6);
  // Documents already found late during the night: until each is ready (or fails), the next
  // requests get the last one at once instead of waiting ATTESA_NOTTE_MS each. A new document
  // takes seconds while an import interleaves with its queries, and every request of those
  // seconds waited 50-100 ms (the scorecard's median during the cycle: 95 ms, docs/bench.md).
  const inRitardo = new Set<string>();
  async function documento<D, B>(chiaveStabile: string, b: B, chiave: string, calcola: () => Promise<D>): Promise<{ b: B; chiave: string; doc: D }> {
    const prima = ultimi.get(chiaveStabile) as { b: B; chiave: string; doc: D } | undefined;
    // The document of this very key is known (the memo may have been emptied by a newer version
    // since, while dati() keeps serving this one during the night): no need to compute it again.
    if (prima && prima.chiave === chiave) return prima;
    // During the night (read with the data version) the last document, and nothing computed: the
    // version changes a dozen times a regional night and each new document (the scorecard's years
    // side by side of three families) took seconds of the event loop that every page waited for
    // (docs/bench.md); its figures would be the night's provisional facts anyway (docs/fatti.md).
    // The first request after the night computes it.
    if (prima && notteVista) return prima;
    const p = cached(chiave, calcola).then((doc) => {
      ultimi.set(chiaveStabile, { b, chiave, doc }, dimensione(doc));
      return { b, chiave, doc };
    });
    if (!prima) return p;
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
