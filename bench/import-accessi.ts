/**
 * Import throughput of a generated accessi.csv (default 1,000,000 rows) on PGlite or PostgreSQL.
 *   npx tsx bench/import-accessi.ts [--righe N] [--db pglite|postgres]
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), in a
 * throw-away schema. Prints rows/s and the peak RSS of this process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { openDb, migrate } from '../server/db';
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

async function main() {
  const args = process.argv.slice(2);
  const righe = Number(args[args.indexOf('--righe') + 1] || 0) || 1_000_000;
  const engine = args.includes('--db') ? args[args.indexOf('--db') + 1] : 'pglite';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
  await writeAccessi(path.join(dir, 'accessi.csv'), righe);
  fs.writeFileSync(path.join(dir, 'cartelle.csv'), 'id_cartella;data_apertura\nC1;2020-01-01\n');
  fs.writeFileSync(path.join(dir, 'membri.csv'), `id_cartella;codice_fiscale\nC1;${buildCf('RSS', 'MRA', '1980-01-01', 'M', 'E648')}\n`);
  fs.writeFileSync(path.join(dir, 'estrazione.txt'), '2026-11-21\n');
  const size = fs.statSync(path.join(dir, 'accessi.csv')).size;
  const schema = `bench_${process.pid}`;
  const db = engine === 'postgres'
    ? await openDb({ databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', schema })
    : await openDb({ pgliteDir: path.join(dir, 'db') });
  await migrate(db);
  const rssBefore = process.memoryUsage().rss;
  const t0 = process.hrtime.bigint();
  await importSiz(db, dir, { log: (m) => console.error(m) });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({
    engine, righe, file_mb: +(size / 1e6).toFixed(1), secondi: +secs.toFixed(2), righe_al_secondo: Math.round(righe / secs),
    rss_prima_mb: Math.round(rssBefore / 1e6), rss_picco_mb: Math.round(peak / 1e6),
  }));
  if (engine === 'postgres') await db.knex.raw('drop schema ?? cascade', [schema]);
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
main().catch((e) => { console.error(e); process.exit(1); });
