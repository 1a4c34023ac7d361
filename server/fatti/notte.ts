import os from 'node:os';
import type { Database } from '../db';
import { ISTANZA } from '../../jobs/log';

// Where it is defined now (the audit journal needs it too); the pages import it from here.
export { connessioneOccupata } from '../db';

/**
 * An import, a job or an update (`aggiornamento`: imports and the chain after them) is running
 * now (its row, started within the last hour: a row left behind by a process that died is not a
 * night that never ends). While it runs, the facts computed before it are still what the pages
 * show (dated), and the last computed pages are served instead of waiting for the database
 * (docs/fatti.md).
 */
export async function notteInCorso(db: Database): Promise<boolean> {
  const r = (await db.knex.raw(`select ${NOTTE_SQL} as notte`)).rows[0] as { notte: boolean };
  return r.notte === true;
}

/** The expression of notteInCorso, for a statement that reads it with other things (server/cruscotto/cache.ts). */
export const NOTTE_SQL = `(exists (select 1 from importazioni where esito = 'in_corso' and avviato_il > now() - interval '1 hour')
           or exists (select 1 from job_esecuzioni where esito = 'in_corso' and avviato_il > now() - interval '1 hour')
           or exists (select 1 from aggiornamenti where avviato_il > now() - interval '1 hour'))`;

/**
 * Runs `fn` (imports, then the chain of jobs/catena.ts after them) as one night for the pages.
 * Each import and each job has its own row `in_corso` while it runs, but between an import's
 * commit and the chain's first job (a regional SIZ import's ANALYZE after its commit: 0.7 s,
 * 3 s under load) and between two jobs nothing is running: a page asked then found the data new
 * and the facts behind it, computed its figures from the tables (20-30 s at the regional scale,
 * while the chain kept working on them) and made every request of that page wait for it
 * (docs/fatti.md, «The night between its steps»). The row is deleted at the end, whatever the outcome; if the
 * process dies first, the next start on this host deletes it (chiudiAggiornamentiInterrotti),
 * and after an hour it no longer counts anyway.
 */
export async function aggiornamento<T>(db: Database, origine: string, fn: () => Promise<T>): Promise<T> {
  let id: number | null = null;
  try {
    const [r] = (await db.knex('aggiornamenti').insert({ origine, istanza: ISTANZA, avviato_il: new Date() }).returning('id')) as { id: number }[];
    id = Number(r.id);
  } catch {
    // The database is away: the import itself will say so, with its own message.
  }
  try {
    return await fn();
  } finally {
    if (id !== null) await db.knex('aggiornamenti').where({ id }).del().catch(() => undefined);
  }
}

/** Whether the process `pid` of this host is alive (ESRCH: it is not; EPERM: it is, not ours). */
function vivo(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * At start: the updates left behind by a dead process of this host are deleted (PGlite: every
 * row, the data folder is this process's alone). Rows of other hosts stop counting after an hour.
 */
export async function chiudiAggiornamentiInterrotti(db: Database): Promise<number> {
  const righe = (await db.knex('aggiornamenti').select('id', 'istanza')) as { id: number; istanza: string }[];
  const host = `${os.hostname()}:`;
  const morte = righe.filter((r) => r.istanza !== ISTANZA && (db.engine === 'pglite' || (r.istanza.startsWith(host) && !vivo(Number(r.istanza.slice(host.length))))));
  if (!morte.length) return 0;
  await db.knex('aggiornamenti').whereIn('id', morte.map((r) => r.id)).del();
  return morte.length;
}
