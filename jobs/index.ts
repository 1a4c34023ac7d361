import type { AppContext } from '../server/context';
import { findJob, JOBS } from './registry';
import type { JobOptions, JobResult } from './types';

export class UnknownJobError extends Error {}

/**
 * Runs one job now. The scheduler and `cruscotto run JOB` use this same path.
 * (Locking and the run log are added by the scheduler feature.)
 */
export async function runJob(ctx: AppContext, name: string, opts: JobOptions = {}): Promise<JobResult> {
  if (name === 'tutti') {
    const results: string[] = [];
    for (const j of JOBS) results.push(`${j.name}: ${(await runJob(ctx, j.name, opts)).messaggio}`);
    return { messaggio: results.join('\n') };
  }
  const job = findJob(name);
  if (!job) throw new UnknownJobError(`job sconosciuto "${name}" (disponibili: ${[...JOBS.map((j) => j.name), 'tutti'].join(', ')})`);
  return job.run(ctx, opts);
}
