import type { AppContext } from '../context';
import { audit } from '../audit';
import { runJob } from '../../jobs';
import { findJob } from '../../jobs/elenco';
import { lastRuns } from '../../jobs/log';

/**
 * "Esegui ora" on /job: the office starts a job by hand. It goes through runJob like the
 * scheduler and `cruscotto run` (the same lock, the same run log), in the background: the page
 * shows the run 'in corso' and then its result. A job already running is not started again:
 * the latest run says so here, and if two clicks race past that check the job's lock turns the
 * second into a run 'saltato' (jobs/index.ts).
 */
export type Avvio = { stato: 'avviato'; runId: number } | { stato: 'gia_in_corso'; runId: number | null } | { stato: 'concluso'; runId: number | null; errore?: string };

// Runs started from the web and not finished yet, per context: the server waits for them on stop.
const inCorso = new WeakMap<AppContext, Set<Promise<unknown>>>();

export async function eseguiOra(ctx: AppContext, job: string, chi: { utente_id: number | null; email: string | null; ip: string | null }): Promise<Avvio> {
  if (!findJob(job)) throw new RangeError(`job sconosciuto: ${job}`);
  const ultima = (await lastRuns(ctx.db)).get(job);
  if (ultima?.esito === 'in_corso') return { stato: 'gia_in_corso', runId: ultima.id };
  await audit(ctx.db, { ...chi, azione: 'job_eseguito', dettagli: { job } });
  let started: (id: number) => void = () => undefined;
  const avviato = new Promise<number>((resolve) => (started = resolve));
  const run = runJob(ctx, job, { origine: `a richiesta (${chi.email ?? 'web'})`, onStart: (id) => started(id) });
  const runs = inCorso.get(ctx) ?? new Set();
  inCorso.set(ctx, runs);
  const tracked = run.catch((e) => ctx.log.error({ err: e, job }, 'job avviato dal web: fallito')).finally(() => runs.delete(tracked));
  runs.add(tracked);
  // Whichever comes first: the run is recorded (then the page follows it), or runJob ended
  // without one (the lock was held: 'saltato'), or it failed before starting.
  const first = await Promise.race([avviato.then((runId) => ({ runId })), run.then((r) => ({ fine: r }), (e: Error) => ({ errore: e.message }))]);
  if ('runId' in first) return { stato: 'avviato', runId: first.runId };
  if ('fine' in first) return first.fine.esito === 'saltato' ? { stato: 'gia_in_corso', runId: first.fine.runId } : { stato: 'concluso', runId: first.fine.runId };
  return { stato: 'concluso', runId: null, errore: first.errore };
}

/** Waits for the runs started from the web (server stop, tests). */
export async function attendiEseguiOra(ctx: AppContext): Promise<void> {
  await Promise.all([...(inCorso.get(ctx) ?? [])]);
}
