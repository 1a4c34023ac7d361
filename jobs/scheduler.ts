import cron from 'node-cron';
import type { AppContext } from '../server/context';
import { runJob } from './index';
import { JOBS } from './registry';

export interface Scheduler {
  stop(): Promise<void>;
}

/** Schedules every job that has a cron expression, in TZ_SCHEDULER (Europe/Rome). */
export function startScheduler(ctx: AppContext): Scheduler {
  const tasks = JOBS.filter((j) => j.schedule).map((job) =>
    cron.schedule(
      job.schedule!(ctx),
      async () => {
        try {
          const res = await runJob(ctx, job.name);
          ctx.log.info({ job: job.name }, res.messaggio);
        } catch (err) {
          ctx.log.error({ job: job.name, err }, 'job fallito');
        }
      },
      { timezone: ctx.config.tzScheduler, name: job.name },
    ),
  );
  return {
    stop: async () => {
      for (const t of tasks) await t.stop();
    },
  };
}
