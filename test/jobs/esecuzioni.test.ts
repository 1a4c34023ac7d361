/**
 * runJob: the run log, the database lock (also across two knex pools on PostgreSQL), and the
 * recovery of runs left 'in_corso' by a crash.
 */
import path from 'node:path';
import { spawn } from 'node:child_process';
import { describeDb, openTestDb, truncateAll } from '../support/db';
import { markCrashedRuns, runJob } from '../../jobs';
import { ISTANZA } from '../../jobs/log';
import { openDb } from '../../server/db';
import type { JobDef } from '../../jobs/tipi';
import { testContext } from '../auth/helpers';
import { gate, withJobs, withOnlyJobs } from './support/jobs';

const runs = (db: import('../../server/db').Database, job: string) =>
  db.knex('job_esecuzioni').where({ job }).orderBy('id').select('esito', 'messaggio', 'errore', 'conteggi', 'origine', 'oggi', 'istanza', 'avviato_il', 'concluso_il');

describeDb('esecuzione dei job', (get, engine) => {
  let ctx: ReturnType<typeof testContext>;
  beforeAll(() => {
    ctx = testContext(get());
  });
  beforeEach(async () => {
    await truncateAll(get());
  });

  test('a run is recorded with outcome, counts, message, today, origin and instance', async () => {
    let seen: string | undefined;
    const job: JobDef = { name: 'prova', run: async (_c, o) => ((seen = o.oggi), { messaggio: 'fatto 3', conteggi: { righe: 3 } }) };
    const out = await withJobs([job], () => runJob(ctx, 'prova', { oggi: '2026-11-20', origine: 'cli' }));
    expect(out).toMatchObject({ esito: 'ok', messaggio: 'fatto 3', conteggi: { righe: 3 } });
    expect(seen).toBe('2026-11-20');
    const [r] = await runs(get(), 'prova');
    expect(r).toMatchObject({ esito: 'ok', messaggio: 'fatto 3', conteggi: { righe: 3 }, origine: 'cli', oggi: '2026-11-20', istanza: ISTANZA, errore: null });
    expect(r.concluso_il.getTime()).toBeGreaterThanOrEqual(r.avviato_il.getTime());
    expect(out.runId).toEqual(expect.any(Number));
  });

  test('"today" defaults to the clock\'s', async () => {
    let seen: string | undefined;
    await withJobs([{ name: 'oggi', run: async (_c, o) => ((seen = o.oggi), { messaggio: '' }) }], () => runJob(ctx, 'oggi'));
    expect(seen).toBe(ctx.clock.today());
  });

  test('a failure is recorded with its error, re-thrown, and the lock is released for the next run', async () => {
    let n = 0;
    const job: JobDef = { name: 'fragile', run: async () => { if (++n === 1) throw new Error('disco pieno'); return { messaggio: 'ok' }; } };
    await withJobs([job], async () => {
      await expect(runJob(ctx, 'fragile')).rejects.toThrow('disco pieno');
      expect((await runJob(ctx, 'fragile')).esito).toBe('ok');
    });
    expect((await runs(get(), 'fragile')).map((r) => [r.esito, r.errore])).toEqual([['fallito', 'disco pieno'], ['ok', null]]);
  });

  test('an overlapping start in the same process is skipped, logged and recorded', async () => {
    const g = gate();
    const entered = gate();
    let started = 0;
    const job: JobDef = { name: 'lento', run: async () => { started++; entered.open(); await g.promise; return { messaggio: 'finito' }; } };
    await withJobs([job], async () => {
      const first = runJob(ctx, 'lento');
      try {
        await entered.promise; // the first run holds the lock and is inside the job
        const second = await runJob(ctx, 'lento');
        expect(second.esito).toBe('saltato');
        expect(second.messaggio).toMatch(/già in esecuzione/);
      } finally {
        g.open();
      }
      expect((await first).esito).toBe('ok');
    });
    expect(started).toBe(1);
    expect((await runs(get(), 'lento')).map((r) => r.esito).sort()).toEqual(['ok', 'saltato']);
  });

  test('unknown job: a clear error listing the jobs', async () => {
    await expect(runJob(ctx, 'nessuno')).rejects.toThrow(/job sconosciuto "nessuno" \(disponibili: .*inbox.*tutti\)/);
  });

  test('"tutti" runs every job in registry order and goes on after a failure, then reports it', async () => {
    const order: string[] = [];
    const mk = (name: string, fail = false): JobDef => ({ name, run: async () => { order.push(name); if (fail) throw new Error(`${name} rotto`); return { messaggio: `${name} ok` }; } });
    await withOnlyJobs([mk('a'), mk('b', true), mk('c')], async () => {
      await expect(runJob(ctx, 'tutti')).rejects.toThrow(/job falliti: b\n[\s\S]*c: c ok/);
    });
    expect(order).toEqual(['a', 'b', 'c']);
    await withOnlyJobs([mk('a'), mk('c')], async () => {
      expect((await runJob(ctx, 'tutti')).messaggio).toBe('a: a ok\nc: c ok');
    });
  });

  test('crash: a run left in_corso by a dead instance (its lock free) is marked failed at the next start, and the next run completes', async () => {
    const job: JobDef = { name: 'notturno', run: async () => ({ messaggio: 'completato' }) };
    await get().knex('job_esecuzioni').insert({ job: 'notturno', avviato_il: new Date('2026-11-22T01:00:00Z'), esito: 'in_corso', istanza: 'altro-server:4242', origine: 'pianificatore' });
    expect(await markCrashedRuns(ctx)).toBe(1);
    const [crashed] = await runs(get(), 'notturno');
    expect(crashed.esito).toBe('fallito');
    expect(crashed.errore).toMatch(/interrotto/);
    expect(crashed.concluso_il).not.toBeNull();
    expect(await markCrashedRuns(ctx)).toBe(0);
    await withJobs([job], () => runJob(ctx, 'notturno'));
    expect((await runs(get(), 'notturno')).map((r) => r.esito)).toEqual(['fallito', 'ok']);
  });

  test('the CLI path needs no separate start: runJob itself marks its job\'s orphaned runs before running', async () => {
    await get().knex('job_esecuzioni').insert({ job: 'orfano', avviato_il: new Date('2026-11-22T01:00:00Z'), esito: 'in_corso', istanza: 'morto:1' });
    await withJobs([{ name: 'orfano', run: async () => ({ messaggio: 'ok' }) }], () => runJob(ctx, 'orfano'));
    expect((await runs(get(), 'orfano')).map((r) => r.esito)).toEqual(['fallito', 'ok']);
  });

  test('a run in progress in a live instance (lock held) is not marked failed', async () => {
    const g = gate();
    const job: JobDef = { name: 'vivo', run: async () => { await g.promise; return { messaggio: 'ok' }; } };
    await withJobs([job], async () => {
      const running = runJob(ctx, 'vivo');
      try {
        // wait until its row exists (the run has the lock and has started)
        while (!(await get().knex('job_esecuzioni').where({ job: 'vivo', esito: 'in_corso' }).first())) await new Promise((r) => setTimeout(r, 10));
        expect(await markCrashedRuns(ctx)).toBe(0);
      } finally {
        g.open();
      }
      await running;
    });
    expect((await runs(get(), 'vivo')).map((r) => r.esito)).toEqual(['ok']);
  });

  if (engine === 'postgres') {
    test('the same job started at the same moment from two separate knex pools runs once; the other is skipped', async () => {
      const db2 = await openDb({ databaseUrl: process.env.TEST_DATABASE_URL!, schema: get().schema, poolMax: 4 });
      const ctx2 = testContext(db2);
      const g = gate();
      let bodies = 0;
      // A second body entering opens the gate too, so a broken lock fails the test instead of hanging it.
      const job: JobDef = { name: 'doppio', run: async () => { if (++bodies === 2) g.open(); await g.promise; return { messaggio: 'una volta', conteggi: { n: 1 } }; } };
      try {
        await withJobs([job], async () => {
          const p1 = runJob(ctx, 'doppio', { origine: 'istanza-1' });
          const p2 = runJob(ctx2, 'doppio', { origine: 'istanza-2' });
          // The one that runs waits at the gate: the first to finish must be the skipped one.
          const firstDone = await Promise.race([p1, p2]);
          expect(firstDone.esito).toBe('saltato');
          g.open();
          const outcomes = await Promise.all([p1, p2]);
          expect(outcomes.map((o) => o.esito).sort()).toEqual(['ok', 'saltato']);
        });
      } finally {
        await db2.close();
      }
      expect(bodies).toBe(1);
      expect((await runs(get(), 'doppio')).map((r) => r.esito).sort()).toEqual(['ok', 'saltato']);
    });

    test('the lock key includes the schema: the same job in another schema is not blocked', async () => {
      const other = await openTestDb('postgres');
      const ctx2 = testContext(other);
      const g = gate();
      const job: JobDef = { name: 'schema', run: async () => { await g.promise; return { messaggio: 'ok' }; } };
      try {
        await withJobs([job], async () => {
          const p1 = runJob(ctx, 'schema');
          const p2 = runJob(ctx2, 'schema');
          g.open();
          expect((await Promise.all([p1, p2])).map((o) => o.esito)).toEqual(['ok', 'ok']);
        });
      } finally {
        await other.dispose();
      }
    });

    test('a real crash: the process running a job is killed; the next start marks the run failed and the next run completes', async () => {
      const child = spawn(process.execPath, ['-r', 'tsx/cjs', path.join(__dirname, 'support', 'crash-child.ts'), get().schema], {
        cwd: path.resolve(__dirname, '..', '..'),
        env: process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d) => String(d).includes('avviato') && resolve());
        child.on('exit', (code) => reject(new Error(`child exited ${code}: ${stderr}`)));
      });
      // While it runs, its lock is held: nothing to mark.
      expect(await markCrashedRuns(ctx)).toBe(0);
      expect((await runs(get(), 'lungo')).map((r) => [r.esito, r.origine])).toEqual([['in_corso', 'figlio']]);
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      // PostgreSQL ends the dead client's session (and its lock) when it sees the socket close.
      let marked = 0;
      for (let i = 0; i < 200 && marked === 0; i++) {
        marked = await markCrashedRuns(ctx);
        if (!marked) await new Promise((r) => setTimeout(r, 50));
      }
      expect(marked).toBe(1);
      await withJobs([{ name: 'lungo', run: async () => ({ messaggio: 'questa volta sì' }) }], () => runJob(ctx, 'lungo'));
      expect((await runs(get(), 'lungo')).map((r) => r.esito)).toEqual(['fallito', 'ok']);
    }, 60_000);
  }
});
