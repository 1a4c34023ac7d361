import type { Database } from '../db';

/**
 * An import or a job is running now (its row `in_corso`, started within the last hour: a row
 * left behind by a process that died is not a night that never ends). While it runs, the facts
 * computed before it are still what the pages show (dated), and the last computed pages are
 * served instead of waiting for the database (docs/fatti.md).
 */
export async function notteInCorso(db: Database): Promise<boolean> {
  const r = (
    await db.knex.raw(
      `select exists (select 1 from importazioni where esito = 'in_corso' and avviato_il > now() - interval '1 hour')
           or exists (select 1 from job_esecuzioni where esito = 'in_corso' and avviato_il > now() - interval '1 hour') as notte`,
    )
  ).rows[0] as { notte: boolean };
  return r.notte === true;
}

/**
 * PGlite only: its single connection is taken now (an import's transaction, a job's query, a
 * page's query). A page then does not queue behind it when it can serve what it computed before.
 */
export function connessioneOccupata(db: Database): boolean {
  if (db.engine !== 'pglite') return false;
  const pool = (db.knex.client as { pool?: { numUsed(): number; numPendingAcquires(): number } }).pool;
  return !!pool && pool.numUsed() + pool.numPendingAcquires() > 0;
}
