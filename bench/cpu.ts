/**
 * CPU seconds read from /proc, for the benches that print them beside the wall clock (a shared
 * machine's wall clock says little alone): bench:importazioni and bench:notte.
 */
import fs from 'node:fs';
import type { Knex } from 'knex';

/** utime + stime of a process, in seconds (100 ticks a second); null when /proc cannot tell. */
export function cpuPid(pid: number): number | null {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null; // not on this machine, or ended meanwhile
  }
}

/**
 * CPU seconds of every backend of this database now, by pid; empty when PostgreSQL runs on
 * another machine. Other databases' sessions are not counted; a backend that ends between two
 * readings loses its part (the pools keep theirs open).
 */
export async function cpuBackend(db: { knex: Knex }): Promise<Map<number, number>> {
  const pids = ((await db.knex.raw('select pid from pg_stat_activity where datname = current_database()')).rows as { pid: number }[]).map((r) => r.pid);
  const out = new Map<number, number>();
  for (const pid of pids) {
    const s = cpuPid(pid);
    if (s != null) out.set(pid, s);
  }
  return out;
}
