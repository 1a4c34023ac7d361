/**
 * Import throughput of a generated accessi.csv (default 1,000,000 rows) on PGlite or PostgreSQL.
 *   npm run bench:import -- [--righe N] [--db pglite|postgres]   (see docs/bench.md)
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), in a
 * throw-away schema. PGlite: a new DATA_DIR, created and migrated by `cruscotto migrate` first.
 * Prints rows/s and the peak RSS of this process (the one that imports).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { execFileSync } from 'node:child_process';
import { openDb, migrate } from '../server/db';
import { loadConfig } from '../server/config';
import { importSiz } from '../server/importazione/siz';
import { buildCf } from '../server/shared/cf';

async function writeAccessi(file: string, n: number): Promise<void> {
  const out = fs.createWriteStream(file);
  out.write('id_accesso;codice_fiscale;codice_istat;data_accesso;data_nascita;area_utenza;motivo_accesso;problema_riscontrato;punto_accesso\n');
  const cfs = Array.from({ length: 5000 }, (_, i) => buildCf('RSS', 'MRA', `19${String(40 + (i % 60)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`, i % 2 ? 'F' : 'M', 'E648'));
  for (let i = 0; i < n; i++) {
    const line = `A${i};${cfs[i % cfs.length]};0980${String(10 + (i % 60)).padStart(2, '0')};${2016 + (i % 10)}-0${1 + (i % 9)}-1${i % 10};;;CONTRIBUTO ECONOMICO;PRECARIETA' ECONOMICA;Sportello ${i % 7}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Writes the input files; run in a child process so that its garbage is not in the measure. */
async function writeExtract(dir: string, righe: number): Promise<void> {
  await writeAccessi(path.join(dir, 'accessi.csv'), righe);
  fs.writeFileSync(path.join(dir, 'cartelle.csv'), 'id_cartella;data_apertura\nC1;2020-01-01\n');
  fs.writeFileSync(path.join(dir, 'membri.csv'), `id_cartella;codice_fiscale\nC1;${buildCf('RSS', 'MRA', '1980-01-01', 'M', 'E648')}\n`);
  fs.writeFileSync(path.join(dir, 'estrazione.txt'), '2026-11-21\n');
}

const mb = (n: number) => Math.round(n / 1e6);

/**
 * The import itself, in its own process started as `bin/cruscotto.js` starts (bin/tsx-register.js,
 * no ESM loader thread), so that its peak RSS is what `cruscotto import siz` uses.
 */
async function importa(dir: string, engine: string, righe: number, schema: string): Promise<void> {
  const size = fs.statSync(path.join(dir, 'accessi.csv')).size;
  const db = engine === 'postgres'
    ? await openDb({ databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', schema })
    : await openDb({ pgliteDir: path.join(dir, 'db'), pgliteSettings: loadConfig().pgliteSettings });
  await migrate(db);
  const before = process.memoryUsage();
  // Where the memory is: the JavaScript heap, or buffers outside it (PGlite's WebAssembly memory).
  const peak = { heap: 0, external: 0 };
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    peak.heap = Math.max(peak.heap, m.heapTotal);
    peak.external = Math.max(peak.external, m.external);
    if (process.env.BENCH_TRACCIA) console.error(`rss ${mb(m.rss)} heap ${mb(m.heapTotal)} usato ${mb(m.heapUsed)} esterna ${mb(m.external)}`);
  }, process.env.BENCH_TRACCIA ? 500 : 50);
  const t0 = process.hrtime.bigint();
  await importSiz(db, dir, { log: (m) => console.error(process.env.BENCH_TRACCIA ? `${m} [rss ${mb(process.memoryUsage().rss)}, heap ${mb(process.memoryUsage().heapTotal)}]` : m) });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(sample);
  console.log(JSON.stringify({
    engine, righe, file_mb: +(size / 1e6).toFixed(1), secondi: +secs.toFixed(2), righe_al_secondo: Math.round(righe / secs),
    rss_prima_mb: mb(before.rss), rss_picco_mb: mb(process.resourceUsage().maxRSS * 1024),
    heap_picco_mb: mb(peak.heap), esterna_prima_mb: mb(before.external), esterna_picco_mb: mb(peak.external),
  }));
  if (engine === 'postgres') await db.knex.raw('drop schema ?? cascade', [schema]);
  await db.close();
}

async function main() {
  const args = process.argv.slice(2);
  const arg = (name: string, def: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
  const righe = Number(arg('--righe', '0')) || 1_000_000;
  const engine = arg('--db', 'pglite');
  if (args[0] === '--scrivi') return writeExtract(args[1], righe);
  if (args[0] === '--importa') return importa(args[1], engine, righe, arg('--schema', 'public'));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
  const self = (...more: string[]) =>
    execFileSync(process.execPath, ['--require', path.join(__dirname, '..', 'bin', 'tsx-register.js'), __filename, ...more], { stdio: 'inherit' });
  try {
    self('--scrivi', dir, '--righe', String(righe));
    if (engine === 'pglite') {
      // The embedded database is created (initdb) and migrated by `cruscotto migrate` in its own
      // process, as on a real installation: an import opens an existing DATA_DIR. PGlite's initdb
      // alone peaks near 800 MB, once, when DATA_DIR is first created; it is not import memory.
      execFileSync(process.execPath, [path.join(__dirname, '..', 'bin', 'cruscotto.js'), 'migrate'], { env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '' }, stdio: 'ignore' });
    }
    self('--importa', dir, '--db', engine, '--righe', String(righe), '--schema', `bench_${process.pid}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
