import type { JobDef } from './tipi';
import { inboxJob } from './inbox';
import { riconciliazioneJob } from './riconciliazione';
import { qualitaJob } from './qualita';
import { variazioniJob } from './variazioni';
import { promemoriaJobs } from './promemoria';
import { fattiJob } from './fatti';

/**
 * The jobs, as data (docs/interfacce.md, "Job"). Each feature adds its job here; the scheduler
 * and `cruscotto run JOB` both read this list.
 */
export const JOBS: JobDef[] = [
  inboxJob, // first: 'tutti' imports before it computes
  riconciliazioneJob,
  qualitaJob,
  variazioniJob,
  fattiJob, // the cruscotto's precomputed figures, last in the chain (jobs/catena.ts)
  ...promemoriaJobs(),
];

export function findJob(name: string): JobDef | undefined {
  return JOBS.find((j) => j.name === name);
}
