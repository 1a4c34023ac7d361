import type { Database } from '../db';

/**
 * The figures change only when data is imported, the reconciliation, the quality checks or the
 * precomputed facts run (a page built from provisional facts during the night says it updates
 * when they are done: server/fatti/leggi.ts), the office edits a deadline, or a reminder is sent
 * or acknowledged (deadline tables of the overview and the scorecard): this version string changes with any of them, and computed
 * pages are kept per version (each server instance asks the database, so several instances
 * sharing one PostgreSQL stay right).
 */
export async function versioneDati(db: Database): Promise<string> {
  const r = (
    await db.knex.raw(
      `select (select max(id) from importazioni) as i,
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
  return [r.i, r.r, r.q, t(r.s), r.n, r.p, t(r.pi), r.v, t(r.f)].join('/');
}

/** A small least-recently-used map. */
export class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max = 300) {}

  get(k: string): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }

  delete(k: string): void {
    this.map.delete(k);
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }

  set(k: string, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
}

/**
 * get-or-compute, sharing one computation between concurrent requests for the same key (20
 * browsers opening the same page right after an import compute it once). A failure is not kept.
 */
export class Memo<V> {
  private readonly lru: Lru<Promise<V>>;
  constructor(max = 300) {
    this.lru = new Lru(max);
  }

  /** Forgets every entry (a computation in flight still answers whoever awaits it). */
  clear(): void {
    this.lru.clear();
  }

  get size(): number {
    return this.lru.size;
  }

  get(key: string, compute: () => Promise<V>): Promise<V> {
    const hit = this.lru.get(key);
    if (hit) return hit;
    const p = compute();
    this.lru.set(key, p);
    p.catch(() => this.lru.delete(key));
    return p;
  }
}
