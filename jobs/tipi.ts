import type { AppContext } from '../server/context';
import { AppError } from '../server/shared/errori';

export interface JobOptions {
  /** "Today" for this run (YYYY-MM-DD); default the clock's today. */
  oggi?: string;
  /** Given by runJob: how a job runs the jobs that follow it (jobs/catena.ts), through runJob. */
  catena?: Catena;
}

/** Other jobs, run through runJob (lock, run log) without importing it: jobs/index imports the jobs. */
export interface Catena {
  esiste(job: string): boolean;
  esegui(job: string, o: { oggi?: string; origine: string }): Promise<JobResult>;
}

/** What a job run reports: counts for the run log and a line for people. */
export interface JobResult {
  messaggio: string;
  conteggi?: Record<string, number>;
}

export interface JobDef {
  name: string;
  /** Cron expression from configuration; absent = run only on demand or chained. */
  schedule?: (ctx: AppContext) => string;
  run(ctx: AppContext, opts: JobOptions): Promise<JobResult>;
}

/**
 * A run that did part of its work and failed on the rest: the run log keeps its counts and
 * message beside the error (runJob records them).
 */
export class JobFallito extends AppError {
  constructor(
    message: string,
    readonly risultato: JobResult,
  ) {
    super(message);
  }
}
