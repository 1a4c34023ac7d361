import type { Database } from '../db';
import { dimensione } from './dimensione';
import { NOTTE_SQL } from '../fatti/notte';

/**
 * The figures change only when data is imported, the reconciliation, the quality checks or the
 * precomputed facts run (a page built from provisional facts during the night says it updates
 * when they are done: server/fatti/leggi.ts), the office edits a deadline, or a reminder is sent
 * or acknowledged (deadline tables of the overview and the scorecard): this version string changes with any of them, and computed
 * pages are kept per version (each server instance asks the database, so several instances
 * sharing one PostgreSQL stay right).
 */
export async function versioneDati(db: Database): Promise<string> {
  return (await versioneENotte(db, false)).versione;
}

/**
 * The data version and, when asked, whether it is night (server/fatti/notte.ts), in one
 * statement: every page asks both, and at 20 connections each round trip is CPU of the one
 * event loop (docs/bench.md, «The overview's bytes»).
 */
export async function versioneENotte(db: Database, conNotte = true): Promise<{ versione: string; notte: boolean }> {
  const r = (
    await db.knex.raw(
      `select ${conNotte ? `${NOTTE_SQL} as notte,` : ''}
              (select max(id) from importazioni) as i,
              (select max(id) from riconciliazioni) as r,
              (select max(id) from qualita_esecuzioni) as q,
              (select max(aggiornata_il) from scadenze) as s,
              (select count(*) from scadenze) as n,
              (select max(id) from posta) as p,
              (select max(inviato_il) from posta) as pi,
              (select max(id) from prese_visione) as v,
              (select max(calcolato_il) from fatti_stato) as f`,
    )
  ).rows[0];
  const t = (d: unknown) => (d ? new Date(d as string).getTime() : '');
  return { versione: [r.i, r.r, r.q, t(r.s), r.n, r.p, t(r.pi), r.v, t(r.f)].join('/'), notte: r.notte === true };
}

/**
 * A small least-recently-used map, bounded by count and, when given, by the bytes its entries
 * weigh (`peso`, set with the entry or later): the least recently used go first, the newest
 * entry always stays.
 */
export class Lru<V> {
  private readonly map = new Map<string, { v: V; peso: number }>();
  private totale = 0;
  constructor(
    private readonly max = 300,
    private readonly maxByte = Infinity,
  ) {}

  get(k: string): V | undefined {
    const e = this.map.get(k);
    if (e !== undefined) {
      this.map.delete(k);
      this.map.set(k, e);
    }
    return e?.v;
  }

  delete(k: string): void {
    const e = this.map.get(k);
    if (e) this.totale -= e.peso;
    this.map.delete(k);
  }

  clear(): void {
    this.map.clear();
    this.totale = 0;
  }

  get size(): number {
    return this.map.size;
  }

  /** The bytes the entries weigh, as they were given. */
  get byte(): number {
    return this.totale;
  }

  set(k: string, v: V, peso = 0): void {
    this.delete(k);
    this.map.set(k, { v, peso });
    this.totale += peso;
    this.riduci();
  }

  /** The weight of an entry, once known (a computed page: when its promise resolves). */
  pesa(k: string, v: V, peso: number): void {
    const e = this.map.get(k);
    if (!e || e.v !== v) return; // replaced or gone meanwhile
    this.totale += peso - e.peso;
    e.peso = peso;
    this.riduci();
  }

  private riduci(): void {
    while (this.map.size > 1 && (this.map.size > this.max || this.totale > this.maxByte)) this.delete(this.map.keys().next().value as string);
  }
}

/**
 * get-or-compute, sharing one computation between concurrent requests for the same key (20
 * browsers opening the same page right after an import compute it once). A failure is not kept.
 * Bounded by count and by the approximate bytes of the values (server/cruscotto/dimensione.ts):
 * a regional document or a year's data weighs megabytes, and a reader opening page after page
 * of a region would otherwise keep hundreds of them (docs/bench.md, memory).
 */
export class Memo<V> {
  private readonly lru: Lru<Promise<V>>;
  constructor(max = 300, maxByte = Infinity) {
    this.lru = new Lru(max, maxByte);
  }

  /** Forgets every entry (a computation in flight still answers whoever awaits it). */
  clear(): void {
    this.lru.clear();
  }

  get size(): number {
    return this.lru.size;
  }

  /** The approximate bytes of the values kept. */
  get byte(): number {
    return this.lru.byte;
  }

  get(key: string, compute: () => Promise<V>): Promise<V> {
    const hit = this.lru.get(key);
    if (hit) return hit;
    const p = compute();
    this.lru.set(key, p);
    p.then(
      (v) => this.lru.pesa(key, p, dimensione(v)),
      () => this.lru.delete(key),
    );
    return p;
  }
}
