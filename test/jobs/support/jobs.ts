import { JOBS } from '../../../jobs/elenco';
import type { JobDef } from '../../../jobs/tipi';

/** Registers extra jobs for one test and removes them afterwards (JOBS is the real registry). */
export async function withJobs<T>(defs: JobDef[], fn: () => Promise<T>): Promise<T> {
  JOBS.push(...defs);
  try {
    return await fn();
  } finally {
    for (const d of defs) {
      const i = JOBS.indexOf(d);
      if (i >= 0) JOBS.splice(i, 1);
    }
  }
}

/** Replaces the registry for one test (e.g. fakes named like real jobs), restoring it afterwards. */
export async function withOnlyJobs<T>(defs: JobDef[], fn: () => Promise<T>): Promise<T> {
  const saved = JOBS.splice(0, JOBS.length, ...defs);
  try {
    return await fn();
  } finally {
    JOBS.splice(0, JOBS.length, ...saved);
  }
}

/** A promise with its resolve function outside: to hold a job in the middle of its run. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}
