import type { AppContext } from '../server/context';
import { tryJobLock } from './lock';
import { failOrphanRuns, finishRun, jobsWithOpenRuns, recordSkipped, startRun } from './log';
import { findJob, JOBS } from './elenco';
import { JobFallito, type Catena, type JobOptions, type JobResult } from './tipi';
import { eseguiCatena } from './catena';
import { afterImport } from '../server/importazione/dopo';
import { AppError } from '../server/shared/errori';

/**
 * Running jobs: the ONE path for the scheduler, `cruscotto run JOB` and chained runs (the inbox
 * runs `riconciliazione` and `qualita` through here too).
 *
 * runJob(ctx, name, { oggi, origine }):
 *  1. takes the job's database lock (jobs/lock.ts); when another instance or an earlier tick
 *     holds it, logs a line, records a run 'saltato' and returns without running;
 *  2. with the lock held, marks the job's runs left 'in_corso' as 'fallito' (they cannot be
 *     alive: a live run holds the lock), records a new run 'in_corso';
 *  3. runs the job, records 'ok' with its counts and message, or 'fallito' with the error
 *     (and re-throws it: the CLI exits 1, the scheduler logs it);
 *  4. releases the lock.
 *
 * markCrashedRuns(ctx), called when the server starts, does step 2 for every job whose lock is
 * free, so the status page is truthful before the next run; a run 'in_corso' whose lock is held
 * belongs to a live instance and is left alone.
 */
export class UnknownJobError extends AppError {
  constructor(message: string) {
    super(message, { status: 404 });
  }
}

export interface RunOptions extends JobOptions {
  /** Who started it, for the run log: 'pianificatore', 'cli', 'inbox' (chained), ... */
  origine?: string;
  /** Called once the run is recorded 'in_corso' (the web's "Esegui ora" shows it from then on). */
  onStart?: (runId: number) => void;
}

export interface RunOutcome extends JobResult {
  esito: 'ok' | 'saltato';
  /** The job_esecuzioni row; null for 'tutti', which is several runs. */
  runId: number | null;
}

export async function runJob(ctx: AppContext, name: string, opts: RunOptions = {}): Promise<RunOutcome> {
  if (name === 'tutti') return runAll(ctx, opts);
  const job = findJob(name);
  if (!job) throw new UnknownJobError(`job sconosciuto "${name}" (disponibili: ${[...JOBS.map((j) => j.name), 'tutti'].join(', ')})`);
  const oggi = opts.oggi ?? ctx.clock.today();
  const origine = opts.origine ?? 'manuale';

  const lock = await tryJobLock(ctx.db, name);
  if (!lock) {
    const messaggio = `${name}: già in esecuzione (in un'altra istanza o in un'esecuzione precedente non ancora conclusa): saltato.`;
    ctx.log.warn({ job: name, origine }, messaggio);
    const runId = await recordSkipped(ctx.db, { job: name, origine, oggi, messaggio });
    return { esito: 'saltato', runId, messaggio };
  }
  try {
    const orphans = await failOrphanRuns(ctx.db, name);
    if (orphans) ctx.log.warn({ job: name, esecuzioni: orphans }, 'esecuzioni interrotte segnate come fallite');
    const runId = await startRun(ctx.db, { job: name, origine, oggi });
    opts.onStart?.(runId);
    let res: JobResult;
    try {
      res = await job.run(ctx, { oggi, catena: catenaDi(ctx) });
    } catch (e) {
      ctx.log.error({ job: name, err: e }, 'job fallito');
      const parte = e instanceof JobFallito ? e.risultato : null;
      await finishRun(ctx.db, runId, { esito: 'fallito', errore: e instanceof Error ? e.message : String(e), conteggi: parte?.conteggi ?? null, messaggio: parte?.messaggio ?? null });
      throw e;
    }
    await finishRun(ctx.db, runId, { esito: 'ok', conteggi: res.conteggi ?? null, messaggio: res.messaggio });
    return { ...res, esito: 'ok', runId };
  } finally {
    await lock.release();
  }
}

/** Chained jobs run through runJob, as the registry of this moment knows them. */
function catenaDi(ctx: AppContext): Catena {
  return { esiste: (n) => Boolean(findJob(n)), esegui: (n, o) => runJob(ctx, n, o) };
}

/**
 * What follows the successful imports of one run (`cruscotto import`, an upload, the demo): the
 * per-import steps of each (the audit), then the chain of jobs/catena.ts once for all of them.
 * Returns the lines to show. (The inbox job does the same from inside its run.)
 */
export async function dopoImportazioni(ctx: AppContext, tipi: string[], origine = `importazione ${tipi.join(', ')}`): Promise<string[]> {
  const righe: string[] = [];
  for (const t of tipi) righe.push(...(await afterImport(ctx, t)));
  righe.push(...(await eseguiCatena(ctx, tipi, catenaDi(ctx), { origine })).righe);
  return righe;
}

/** Every registered job in registry order; a failure does not stop the others, it is reported at the end. */
async function runAll(ctx: AppContext, opts: RunOptions): Promise<RunOutcome> {
  const lines: string[] = [];
  const failed: string[] = [];
  for (const j of JOBS) {
    try {
      lines.push(`${j.name}: ${(await runJob(ctx, j.name, opts)).messaggio}`);
    } catch (e) {
      failed.push(j.name);
      lines.push(`${j.name}: FALLITO: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (failed.length) throw new Error(`job falliti: ${failed.join(', ')}\n${lines.join('\n')}`);
  return { esito: 'ok', runId: null, messaggio: lines.join('\n') };
}

/** At start: runs left 'in_corso' by a dead instance become 'fallito' (see the top comment). */
export async function markCrashedRuns(ctx: AppContext): Promise<number> {
  let marked = 0;
  for (const job of await jobsWithOpenRuns(ctx.db)) {
    const lock = await tryJobLock(ctx.db, job);
    if (!lock) continue; // a live instance is running it right now
    try {
      marked += await failOrphanRuns(ctx.db, job);
    } finally {
      await lock.release();
    }
  }
  if (marked) ctx.log.warn({ esecuzioni: marked }, 'esecuzioni interrotte da un arresto precedente segnate come fallite');
  return marked;
}
