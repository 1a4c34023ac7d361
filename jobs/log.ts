import os from 'node:os';
import type { Database } from '../server/db';

/**
 * The job run log (table `job_esecuzioni`): one row per run, written when it starts
 * ('in_corso') and completed when it ends ('ok' | 'fallito'); a run that found the job already
 * running elsewhere is recorded as 'saltato'.
 *
 * Times are the real time of the run (not the injected business "today", which is stored in
 * `oggi`): the log says when something really happened and how long it took.
 */
export type EsitoJob = 'in_corso' | 'ok' | 'fallito' | 'saltato';

export interface JobRun {
  id: number;
  job: string;
  avviato_il: Date;
  concluso_il: Date | null;
  esito: EsitoJob;
  conteggi: Record<string, number> | null;
  messaggio: string | null;
  errore: string | null;
  istanza: string;
  origine: string | null;
  oggi: string | null;
}

/** Which process ran it: host:pid. */
export const ISTANZA = `${os.hostname()}:${process.pid}`;

const COLUMNS = ['id', 'job', 'avviato_il', 'concluso_il', 'esito', 'conteggi', 'messaggio', 'errore', 'istanza', 'origine', 'oggi'];

export async function startRun(db: Database, r: { job: string; origine?: string | null; oggi?: string | null }): Promise<number> {
  const [row] = await db.knex('job_esecuzioni')
    .insert({ job: r.job, avviato_il: new Date(), esito: 'in_corso', istanza: ISTANZA, origine: r.origine ?? null, oggi: r.oggi ?? null })
    .returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

export async function finishRun(db: Database, id: number, r: { esito: 'ok' | 'fallito'; conteggi?: Record<string, number> | null; messaggio?: string | null; errore?: string | null }): Promise<void> {
  await db.knex('job_esecuzioni').where({ id }).update({
    concluso_il: new Date(),
    esito: r.esito,
    conteggi: r.conteggi ? JSON.stringify(r.conteggi) : null,
    messaggio: r.messaggio ?? null,
    errore: r.errore ? r.errore.slice(0, 4000) : null,
  });
}

export async function recordSkipped(db: Database, r: { job: string; origine?: string | null; oggi?: string | null; messaggio: string }): Promise<number> {
  const now = new Date();
  const [row] = await db.knex('job_esecuzioni')
    .insert({ job: r.job, avviato_il: now, concluso_il: now, esito: 'saltato', istanza: ISTANZA, origine: r.origine ?? null, oggi: r.oggi ?? null, messaggio: r.messaggio })
    .returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

/**
 * Marks the job's runs still 'in_corso' as failed. Only call it while holding the job's lock:
 * then no live run can be among them (a live run holds the lock until its row is final).
 */
export async function failOrphanRuns(db: Database, job: string): Promise<number> {
  return db.knex('job_esecuzioni').where({ job, esito: 'in_corso' }).update({
    esito: 'fallito',
    concluso_il: new Date(),
    errore: "interrotto: l'istanza che lo eseguiva si è fermata prima della fine (arresto o crash); segnato come fallito all'avvio successivo",
  });
}

export async function jobsWithOpenRuns(db: Database): Promise<string[]> {
  return (await db.knex('job_esecuzioni').distinct('job').where({ esito: 'in_corso' }).orderBy('job')).map((r: { job: string }) => r.job);
}

/** The latest run of each job (skipped runs included), by job name. */
export async function lastRuns(db: Database): Promise<Map<string, JobRun>> {
  const rows = (
    await db.knex.raw(`select distinct on (job) ${COLUMNS.map(() => '??').join(', ')} from job_esecuzioni order by job, avviato_il desc, id desc`, COLUMNS)
  ).rows as JobRun[];
  return new Map(rows.map((r) => [r.job, normalize(r)]));
}

export async function recentRuns(db: Database, opts: { job?: string; limit?: number } = {}): Promise<JobRun[]> {
  const q = db.knex('job_esecuzioni').select(COLUMNS).orderBy([{ column: 'avviato_il', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(opts.limit ?? 50);
  if (opts.job) q.where({ job: opts.job });
  return ((await q) as JobRun[]).map(normalize);
}

export async function getRun(db: Database, id: number): Promise<JobRun | null> {
  const r = (await db.knex('job_esecuzioni').where({ id }).first(COLUMNS)) as JobRun | undefined;
  return r ? normalize(r) : null;
}

function normalize(r: JobRun): JobRun {
  return { ...r, id: Number(r.id), avviato_il: new Date(r.avviato_il), concluso_il: r.concluso_il ? new Date(r.concluso_il) : null };
}
