import type { AppContext } from '../context';
import { JOBS } from '../../jobs/elenco';
import { JobRun, lastRuns, recentRuns } from '../../jobs/log';
import { pianificazioni } from '../../jobs/scheduler';

/** The job status (UdP): every job with its schedule, next time and latest run; the recent runs. */
/** A run as JSON: the row of `job_esecuzioni` (JobRun) with its times as ISO text and its duration. */
export interface EsecuzioneJson extends Omit<JobRun, 'avviato_il' | 'concluso_il'> {
  avviato_il: string;
  concluso_il: string | null;
  durata_s: number | null;
}

export interface StatoJob {
  job: string;
  /** Cron expression in `fuso_orario`; null = only on demand or chained after imports. */
  pianificazione: string | null;
  prossima_esecuzione: string | null;
  ultima: EsecuzioneJson | null;
}

export interface StatoJobs {
  generato_il: string;
  fuso_orario: string;
  job: StatoJob[];
  esecuzioni: EsecuzioneJson[];
}

export function esecuzioneJson(r: JobRun): EsecuzioneJson {
  return {
    id: r.id,
    job: r.job,
    esito: r.esito,
    avviato_il: r.avviato_il.toISOString(),
    concluso_il: r.concluso_il ? r.concluso_il.toISOString() : null,
    durata_s: r.concluso_il ? Math.round((r.concluso_il.getTime() - r.avviato_il.getTime()) / 100) / 10 : null,
    conteggi: r.conteggi,
    messaggio: r.messaggio,
    errore: r.errore,
    istanza: r.istanza,
    origine: r.origine,
    oggi: r.oggi,
  };
}

export async function statoJobs(ctx: AppContext, opts: { recenti?: number } = {}): Promise<StatoJobs> {
  const now = ctx.clock.now();
  const last = await lastRuns(ctx.db);
  const piani = pianificazioni(ctx, now, JOBS);
  // Jobs no longer registered but with runs in the log stay visible (without a schedule).
  const names = [...piani.map((p) => p.job), ...[...last.keys()].filter((k) => !piani.some((p) => p.job === k)).sort()];
  return {
    generato_il: now.toISOString(),
    fuso_orario: ctx.config.tzScheduler,
    job: names.map((job) => {
      const p = piani.find((x) => x.job === job);
      const l = last.get(job);
      return { job, pianificazione: p?.espressione ?? null, prossima_esecuzione: p?.prossima ? p.prossima.toISOString() : null, ultima: l ? esecuzioneJson(l) : null };
    }),
    esecuzioni: (await recentRuns(ctx.db, { limit: opts.recenti ?? 50 })).map(esecuzioneJson),
  };
}
