/**
 * The jobs of the nightly cycle alone (reconciliation, quality checks, registry changes,
 * precomputed facts), on the data set of `npm run bench` loaded once: a loop of a couple of
 * minutes instead of the ~20 of the whole benchmark, when the jobs after the imports are being
 * worked on.
 *
 *   npm run bench:notte -- [--scala regione|ambito] [--schema NAME] [--volte N] [--jobs riconciliazione,qualita,variazioni,fatti] [--una-connessione]
 *
 * PostgreSQL only (BENCH_DATABASE_URL, never the tests' database). The data set is imported into
 * the schema the first time (the same imports as bench/ciclo.ts) and kept: the next runs with the
 * same --schema time only the jobs. Prints one line per job, the seconds of each step of the
 * quality checks and of the facts, the sequential-scan floor of the reconciliation and the load
 * average beside each figure. `--elimina` drops the schema at the end. For each job it also
 * prints the CPU seconds of the database's backends during the job (from /proc, when PostgreSQL
 * runs on this machine: the wall clock of a shared machine says little alone), for the jobs
 * other than the facts also of their parallel workers, and `--una-connessione` computes the
 * facts on one connection (the path before 2026-12-05, to compare).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Writable } from 'node:stream';
import { loadConfig } from '../server/config';
import { AppContext, ensureNomenclature, fixedClock } from '../server/context';
import { migrate, openDb } from '../server/db';
import { importComuni } from '../server/importazione/comuni';
import { importSiz } from '../server/importazione/siz';
import { importCensimento } from '../server/importazione/censimento';
import { importScadenze } from '../server/importazione/scadenze';
import { importAnagrafe } from '../server/importazione/anagrafe';
import { runJob } from '../jobs/index';
import { calcolaFatti } from '../server/fatti/calcola';
import { datasetDir, isCached } from './dataset';
import { dropSchema } from './figlio';
import { pavimentoScansione } from './pavimenti';
import { campionaLavoratori, cpuBackend } from './cpu';

const OGGI = '2026-11-22';
const load = () => +os.loadavg()[0].toFixed(2);


async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string, def: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
  const scala = arg('--scala', 'regione');
  const schema = arg('--schema', `notte_${scala}`);
  const volte = Number(arg('--volte', '1'));
  const jobs = arg('--jobs', 'riconciliazione,qualita,variazioni,fatti').split(',');
  const url = process.env.BENCH_DATABASE_URL;
  if (!url || /\/test$/.test(url)) throw new Error('BENCH_DATABASE_URL: un database di prova proprio (mai quello dei test)');
  const dir = datasetDir(scala, 2020, OGGI);
  if (!isCached(dir)) throw new Error(`data set non in cache (${dir}): generarlo con npm run bench`);
  const db = await openDb({ databaseUrl: url, schema });
  // The quality checks log each step's milliseconds at debug level (server/qualita/esecuzione.ts).
  const passiQualita: Record<string, number> = {};
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        const o = JSON.parse(line) as { passo?: string; ms?: number; msg?: string };
        if (o.msg === 'qualita' && o.passo) passiQualita[o.passo] = o.ms!;
      }
      cb();
    },
  });
  const ctx: AppContext = {
    config: loadConfig({ DATA_DIR: os.tmpdir(), SESSION_SECRET: 'segreto-del-benchmark-notte', LOG_LEVEL: 'silent' }),
    db,
    log: pino({ level: 'debug' }, sink),
    clock: fixedClock(OGGI),
  };
  try {
    await migrate(db);
    await ensureNomenclature(ctx);
    const [{ n }] = (await db.knex.raw(`select count(*) as n from importazioni where tipo = 'anagrafe' and esito = 'ok'`)).rows as { n: string }[];
    if (Number(n) < 2) {
      const opts = { utente: 'bench' };
      const t = Date.now();
      await importComuni(db, path.join(dir, 'comuni.csv'), opts);
      await importSiz(db, path.join(dir, 'siz'), opts);
      await importCensimento(db, path.join(dir, 'censimento.csv'), opts);
      await importScadenze(db, path.join(dir, 'scadenze.csv'), opts);
      await importAnagrafe(db, path.join(dir, 'anagrafe', '1', 'anagrafe.csv'), { ...opts, oggi: OGGI });
      await importAnagrafe(db, path.join(dir, 'anagrafe', '2', 'anagrafe.csv'), { ...opts, oggi: OGGI });
      console.log(`importazioni (una volta, schema ${schema}): ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    for (let v = 1; v <= volte; v++) {
      for (const job of jobs) {
        const t = process.hrtime.bigint();
        let dettaglio = '';
        if (job === 'fatti') {
          // The job's own computation, called directly for its seconds per table. The backends'
          // CPU: the pool keeps its connections idle for 30 s, so both are still there at the end
          // (a backend new since the start counts whole).
          const prima = await cpuBackend(db);
          const r = await calcolaFatti(db, OGGI, new Date(), undefined, args.includes('--una-connessione') ? { seconda: [] } : {});
          const dopo = await cpuBackend(db);
          const cpu = [...dopo].map(([pid, s]) => s - (prima.get(pid) ?? 0)).filter((s) => s > 0.05);
          const cpuTesto = cpu.length ? `CPU dei backend ${cpu.reduce((a, b) => a + b, 0).toFixed(1)} s (${cpu.map((s) => s.toFixed(1)).join(' + ')}); ` : '';
          dettaglio = cpuTesto + Object.entries(r.passi).map(([k, s]) => `${k} ${s}`).join(', ');
        } else {
          // The backends' CPU as for the facts, plus their parallel workers' (sampled).
          const prima = await cpuBackend(db);
          const lavoratori = campionaLavoratori(db);
          const r = await runJob(ctx, job, { oggi: OGGI, origine: 'bench' });
          const cpuLavoratori = await lavoratori.ferma();
          const dopo = await cpuBackend(db);
          if (r.esito !== 'ok') throw new Error(`${job}: ${r.messaggio}`);
          const cpu = [...dopo].map(([pid, s]) => s - (prima.get(pid) ?? 0)).reduce((a, b) => a + b, 0);
          if (dopo.size) dettaglio = `CPU dei backend ${cpu.toFixed(1)} s + lavoratori paralleli ${cpuLavoratori.toFixed(1)} s`;
          if (job === 'qualita') dettaglio += `${dettaglio ? '; ' : ''}${Object.entries(passiQualita).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(2)}`).join(', ')}`;
        }
        const s = Number(process.hrtime.bigint() - t) / 1e9;
        console.log(`[${v}] ${job}: ${s.toFixed(2)} s (load ${load()})${dettaglio ? `\n    ${dettaglio}` : ''}`);
      }
      if (jobs.includes('riconciliazione')) {
        const scan = await pavimentoScansione(db);
        console.log(`[${v}] ${scan.nome}: ${scan.secondi} s (load ${load()})`);
      }
    }
  } finally {
    await db.close();
    if (args.includes('--elimina')) await dropSchema(url, schema);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
