import type { JobDef } from './types';

/**
 * The jobs, as data (interfaces.md, "Jobs"). Each feature adds its job here; the scheduler
 * and `cruscotto run JOB` both read this list.
 */
export const JOBS: JobDef[] = [];

export function findJob(name: string): JobDef | undefined {
  return JOBS.find((j) => j.name === name);
}
