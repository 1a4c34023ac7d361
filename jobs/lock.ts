import type { Database } from '../server/db';

/**
 * "This job is running": a database lock, so two server instances sharing one PostgreSQL (or a
 * scheduler tick and `cruscotto run` at the same time) never run the same job twice at once.
 *
 * PostgreSQL: a session-level advisory lock, `pg_try_advisory_lock(hashtext(current_schema() ||
 * ':' || job))`, taken on a connection set aside from the pool and held for the whole run. The
 * schema is part of the key, so test schemas on one server do not collide. When the process
 * dies, PostgreSQL ends its session and the lock goes with it: a crashed run never blocks the
 * next one. Each running job holds one pooled connection for its lock (a chained job one more),
 * so the pool needs a few connections beyond the deepest chain (knex default 10; tests use 4).
 *
 * PGlite: the embedded database is a single connection owned by a single process (its data
 * folder cannot be opened by two processes), so the same call is an in-process set of running
 * jobs per database. (An advisory lock would not help there: on one session it is re-entrant,
 * and holding the only connection for the run would block the job's own queries.)
 */
export interface JobLock {
  release(): Promise<void>;
}

const running = new WeakMap<object, Set<string>>();

function lockSql(fn: 'pg_try_advisory_lock' | 'pg_advisory_unlock'): string {
  return `select ${fn}(hashtext(current_schema() || ':' || ?)) as ok`;
}

/** Takes the job's lock, or returns null at once when someone holds it. */
export async function tryJobLock(db: Database, job: string): Promise<JobLock | null> {
  if (db.engine === 'pglite') {
    const key: object = db.pglite ?? db.knex;
    let set = running.get(key);
    if (!set) running.set(key, (set = new Set()));
    if (set.has(job)) return null;
    set.add(job);
    const s = set;
    return { release: async () => void s.delete(job) };
  }
  const client = db.knex.client;
  const conn = await client.acquireConnection();
  let ok = false;
  try {
    ok = (await db.knex.raw(lockSql('pg_try_advisory_lock'), [job]).connection(conn)).rows[0].ok === true;
  } finally {
    if (!ok) await client.releaseConnection(conn);
  }
  if (!ok) return null;
  return {
    release: async () => {
      try {
        await db.knex.raw(lockSql('pg_advisory_unlock'), [job]).connection(conn);
      } catch (e) {
        // The session is broken (and its locks gone with it): never put it back in the pool.
        conn.__knex__disposed = e;
      } finally {
        await client.releaseConnection(conn);
      }
    },
  };
}
