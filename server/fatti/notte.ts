import type { Database } from '../db';

// Where it is defined now (the audit journal needs it too); the pages import it from here.
export { connessioneOccupata } from '../db';

/**
 * An import or a job is running now (its row `in_corso`, started within the last hour: a row
 * left behind by a process that died is not a night that never ends). While it runs, the facts
 * computed before it are still what the pages show (dated), and the last computed pages are
 * served instead of waiting for the database (docs/fatti.md).
 */
export async function notteInCorso(db: Database): Promise<boolean> {
  const r = (await db.knex.raw(`select ${NOTTE_SQL} as notte`)).rows[0] as { notte: boolean };
  return r.notte === true;
}

/** The expression of notteInCorso, for a statement that reads it with other things (server/cruscotto/cache.ts). */
export const NOTTE_SQL = `(exists (select 1 from importazioni where esito = 'in_corso' and avviato_il > now() - interval '1 hour')
           or exists (select 1 from job_esecuzioni where esito = 'in_corso' and avviato_il > now() - interval '1 hour'))`;
