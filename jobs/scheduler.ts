import cron from 'node-cron';
import type { AppContext } from '../server/context';
import { runJob } from './index';
import { JOBS } from './elenco';
import type { JobDef } from './tipi';
import { AppError } from '../server/shared/errori';

export interface Scheduler {
  stop(): Promise<void>;
}

export class ScheduleError extends AppError {}

/**
 * Schedules every job that has a cron expression (from configuration, validated at boot by
 * config.ts; checked again here for jobs that bring their own), in TZ_SCHEDULER (Europe/Rome,
 * so 02:00 stays 02:00 across daylight saving). Each tick goes through runJob: the database
 * lock makes an overlapping tick, or the same tick on another instance, a recorded 'saltato'.
 */
export function startScheduler(ctx: AppContext, jobs: readonly JobDef[] = JOBS): Scheduler {
  const planned = jobs.filter((j) => j.schedule).map((job) => ({ job, expr: job.schedule!(ctx) }));
  for (const { job, expr } of planned) {
    if (!cron.validate(expr)) throw new ScheduleError(`pianificazione del job ${job.name} non valida: "${expr}"`);
  }
  const tasks = planned.map(({ job, expr }) =>
    cron.schedule(expr, () => scheduledRun(ctx, job.name), { timezone: ctx.config.tzScheduler, name: `cruscotto:${job.name}` }),
  );
  return {
    stop: async () => {
      for (const t of tasks) await t.destroy();
    },
  };
}

/** What one tick does. Never throws: a failure is already logged and recorded by runJob. */
export async function scheduledRun(ctx: AppContext, name: string): Promise<void> {
  try {
    const res = await runJob(ctx, name, { origine: 'pianificatore' });
    ctx.log.info({ job: name, esito: res.esito }, res.messaggio);
  } catch {
    // the next tick tries again
  }
}

export interface Pianificazione {
  job: string;
  /** Cron expression, or null: run only on demand or chained. */
  espressione: string | null;
  prossima: Date | null;
}

/** Each registered job with its schedule and next run after `from` (default the clock's now). */
export function pianificazioni(ctx: AppContext, from: Date = ctx.clock.now(), jobs: readonly JobDef[] = JOBS): Pianificazione[] {
  return jobs.map((j) => {
    const espressione = j.schedule ? j.schedule(ctx) : null;
    return { job: j.name, espressione, prossima: espressione ? nextRunAfter(espressione, ctx.config.tzScheduler, from) : null };
  });
}

/**
 * The first time strictly after `from` that the cron expression matches in time zone `tz`.
 * node-cron computes this only from the real clock; we need it from an injected one, so this
 * walks the candidate times of each day (hours x minutes x seconds of the expression) and lets
 * node-cron's own matcher decide each candidate (day-of-month, month, weekday, `L`, `#`).
 * A local time skipped by daylight saving is not matched that day. Searches up to 5 years.
 */
export function nextRunAfter(expr: string, tz: string, from: Date): Date | null {
  const f = cron.parse(expr);
  const task = cron.createTask(expr, () => undefined, { timezone: tz });
  try {
    const hours = [...f.hour].sort((a, b) => a - b);
    const minutes = [...f.minute].sort((a, b) => a - b);
    const seconds = [...f.second].sort((a, b) => a - b);
    const start = localParts(from, tz);
    let day = Date.UTC(start.year, start.month - 1, start.day);
    for (let i = 0; i < 366 * 5; i++, day += 86_400_000) {
      const d = new Date(day);
      const [y, m, dd] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
      // Hours, minutes and seconds come from the expression: when no hour of the day matches
      // with the first minute and second, it is the day itself (or a DST gap) that does not.
      if (!dayMatchesAnyHour(task, y, m, dd, hours, minutes[0], seconds[0], tz)) continue;
      // On the first day, the hours already past are skipped without computing their instants.
      const first = i === 0;
      for (const h of hours) {
        if (first && h < start.hour - 1) continue; // -1: a DST change may shift the wall clock by an hour
        for (const mi of minutes) {
          for (const s of seconds) {
            const t = zonedTime(y, m, dd, h, mi, s, tz);
            if (t.getTime() > from.getTime() && task.match(t)) return t;
          }
        }
      }
    }
    return null;
  } finally {
    void task.destroy();
  }
}

function dayMatchesAnyHour(task: ReturnType<typeof cron.createTask>, y: number, m: number, d: number, hours: number[], mi: number, s: number, tz: string): boolean {
  return hours.some((h) => task.match(zonedTime(y, m, d, h, mi, s, tz)));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Wall-clock parts of an instant in a time zone. */
function localParts(at: Date, tz: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(tz, f);
  }
  const parts = Object.fromEntries(
    f
      .formatToParts(at)
      .filter((p) => p.type !== 'literal')
      .map((p) => [p.type, Number(p.value)]),
  );
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** The instant at which the wall clock of `tz` shows the given local time. */
function zonedTime(y: number, m: number, d: number, h: number, mi: number, s: number, tz: string): Date {
  const wanted = Date.UTC(y, m - 1, d, h, mi, s);
  let guess = wanted;
  // Two corrections settle the offset, also on the days the offset changes.
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(guess), tz);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess += wanted - shown;
  }
  // In the autumn hour that happens twice, the first occurrence is the one the clock shows first.
  const earlier = localParts(new Date(guess - 3_600_000), tz);
  if (Date.UTC(earlier.year, earlier.month - 1, earlier.day, earlier.hour, earlier.minute, earlier.second) === wanted) return new Date(guess - 3_600_000);
  return new Date(guess);
}
