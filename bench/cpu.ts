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

/**
 * The parallel workers of the given backends while a job runs: their CPU seconds, read every
 * 10 ms (a worker lives for one statement and is gone from /proc, and from pg_stat_activity,
 * when it ends: the last reading of each counts, a few milliseconds short). The quality checks'
 * preparation runs its scans on workers; the
 * registry import's index builds run on workers (bench:importazioni).
 */
export function campionaLavoratori(db: { knex: Knex }): { ferma(): Promise<number> } {
  const visti = new Map<number, number>();
  // The job's backends: the pool may open a connection during the job, so asked again each 100 ms.
  const leader = new Set<number>();
  let fermato = false;
  const backend = (async () => {
    while (!fermato) {
      for (const r of (await db.knex.raw('select pid from pg_stat_activity where datname = current_database()')).rows as { pid: number }[]) leader.add(r.pid);
      await new Promise((ok) => setTimeout(ok, 100));
    }
  })();
  const leggi = () => {
    for (const d of fs.readdirSync('/proc')) {
      if (!/^[0-9]+$/.test(d)) continue;
      try {
        const m = /parallel worker for PID ([0-9]+)/.exec(fs.readFileSync(`/proc/${d}/cmdline`, 'utf8'));
        const s = m && leader.has(Number(m[1])) ? cpuPid(Number(d)) : null;
        if (s != null) visti.set(Number(d), s);
      } catch {
        // ended meanwhile
      }
    }
  };
  const t = setInterval(leggi, 10);
  return {
    async ferma() {
      clearInterval(t);
      fermato = true;
      await backend;
      return [...visti.values()].reduce((a, b) => a + b, 0);
    },
  };
}
