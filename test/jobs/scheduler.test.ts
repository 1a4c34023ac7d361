import cron from 'node-cron';
import { describeDb, truncateAll } from '../support/db';
import { nextRunAfter, pianificazioni, scheduledRun, ScheduleError, startScheduler } from '../../jobs/scheduler';
import { JOBS } from '../../jobs/elenco';
import { testContext } from '../auth/helpers';
import { withJobs } from './support/jobs';

const ROME = 'Europe/Rome';
const at = (iso: string) => new Date(iso);

describe('next scheduled time (Europe/Rome)', () => {
  test('the default schedules of docs/interfacce.md', () => {
    const from = at('2026-11-22T09:00:00Z'); // 10:00 in Rome (CET, +1)
    expect(nextRunAfter('0 2 * * *', ROME, from)?.toISOString()).toBe('2026-11-23T01:00:00.000Z');
    expect(nextRunAfter('30 2 * * *', ROME, from)?.toISOString()).toBe('2026-11-23T01:30:00.000Z');
    expect(nextRunAfter('0 8 * * *', ROME, from)?.toISOString()).toBe('2026-11-23T07:00:00.000Z');
    expect(nextRunAfter('0 8 10 * *', ROME, from)?.toISOString()).toBe('2026-12-10T07:00:00.000Z');
  });

  test('strictly after "from", summer time, weekdays and last day of month', () => {
    expect(nextRunAfter('0 2 * * *', ROME, at('2026-11-23T01:00:00Z'))?.toISOString()).toBe('2026-11-24T01:00:00.000Z');
    expect(nextRunAfter('0 2 * * *', ROME, at('2026-07-01T12:00:00Z'))?.toISOString()).toBe('2026-07-02T00:00:00.000Z'); // CEST, +2
    expect(nextRunAfter('0 2 * * 0', ROME, at('2026-11-22T09:00:00Z'))?.toISOString()).toBe('2026-11-29T01:00:00.000Z'); // next Sunday
    expect(nextRunAfter('*/15 * * * *', ROME, at('2026-11-22T09:07:00Z'))?.toISOString()).toBe('2026-11-22T09:15:00.000Z');
    expect(nextRunAfter('0 2 29 2 *', ROME, at('2026-11-22T09:00:00Z'))?.toISOString()).toBe('2028-02-29T01:00:00.000Z');
  });

  test('daylight saving: 02:30 does not exist on the last Sunday of March; in October the first 02:30 counts', () => {
    expect(nextRunAfter('30 2 * * *', ROME, at('2027-03-27T12:00:00Z'))?.toISOString()).toBe('2027-03-29T00:30:00.000Z');
    expect(nextRunAfter('30 2 * * *', ROME, at('2026-10-24T12:00:00Z'))?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  test('computing leaves no task behind in node-cron', () => {
    const before = cron.getTasks().size;
    nextRunAfter('0 2 * * *', ROME, at('2026-11-22T09:00:00Z'));
    expect(cron.getTasks().size).toBe(before);
  });
});

describeDb('pianificatore', (get) => {
  beforeEach(async () => truncateAll(get()));

  test('schedules come from configuration; chained jobs have none', () => {
    const ctx = testContext(get(), { env: { CRON_INBOX: '15 3 * * *' } });
    const p = pianificazioni(ctx, at('2026-11-22T09:00:00Z'));
    expect(p.find((x) => x.job === 'inbox')).toEqual({ job: 'inbox', espressione: '15 3 * * *', prossima: at('2026-11-23T02:15:00Z') });
    for (const x of p) if (!JOBS.find((j) => j.name === x.job)?.schedule) expect(x).toMatchObject({ espressione: null, prossima: null });
  });

  test('start registers one task per scheduled job and stop removes them; a bad expression stops the boot', async () => {
    const ctx = testContext(get());
    const before = cron.getTasks().size;
    const s = startScheduler(ctx);
    expect(cron.getTasks().size - before).toBe(JOBS.filter((j) => j.schedule).length);
    await s.stop();
    expect(cron.getTasks().size).toBe(before);
    expect(() => startScheduler(ctx, [{ name: 'rotto', schedule: () => '61 * * * *', run: async () => ({ messaggio: '' }) }])).toThrow(ScheduleError);
  });

  test('a tick runs the job through runJob (recorded as pianificatore) and never throws', async () => {
    const ctx = testContext(get());
    await withJobs(
      [
        { name: 'tick-ok', run: async () => ({ messaggio: 'ok' }) },
        { name: 'tick-ko', run: async () => { throw new Error('no'); } },
      ],
      async () => {
        await scheduledRun(ctx, 'tick-ok');
        await scheduledRun(ctx, 'tick-ko');
      },
    );
    const rows = await get().knex('job_esecuzioni').orderBy('id').select('job', 'esito', 'origine');
    expect(rows).toEqual([
      { job: 'tick-ok', esito: 'ok', origine: 'pianificatore' },
      { job: 'tick-ko', esito: 'fallito', origine: 'pianificatore' },
    ]);
  });
});
