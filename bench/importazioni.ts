/**
 * The imports of the nightly cycle alone, against PostgreSQL's own COPY of the same files: a
 * quicker loop than `npm run bench` when only the import is being worked on.
 *
 *   npm run bench:importazioni -- [--scala ambito|regione] [--db postgres|pglite] [--seme N] [--passi siz,anagrafe]
 *
 * Uses the data set of `npm run bench` (bench/dataset.ts: cached, generated when missing). On
 * PostgreSQL (BENCH_DATABASE_URL) it works in a throw-away schema; the COPY floor is measured in
 * the same run, after the imports (bench/pavimenti.ts). Prints one line per step and a JSON
 * summary with the peak RSS of this process (the one that imports) and the load average.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadConfig } from '../server/config';
import { migrate, openDb } from '../server/db';
import { importComuni } from '../server/importazione/comuni';
import { importSiz } from '../server/importazione/siz';
import { importAnagrafe } from '../server/importazione/anagrafe';
import { datasetDir, isCached } from './dataset';
import { pavimentoCopy } from './pavimenti';
import { campionaLavoratori, cpuBackend } from './cpu';

const OGGI = '2026-11-22';
const mb = (n: number) => Math.round(n / 1024 / 1024);
const load = () => +os.loadavg()[0].toFixed(2);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string, def: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
  const scala = arg('--scala', 'regione');
  const engine = arg('--db', 'postgres');
  const seme = Number(arg('--seme', '2020'));
  const passi = arg('--passi', 'siz,anagrafe').split(',');
  const dir = datasetDir(scala, seme, OGGI);
  if (!isCached(dir)) {
    const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'dataset.ts'), scala, String(seme), OGGI], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('generazione del data set non riuscita');
  }
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_imp_${process.pid}`;
  const tmp = engine === 'pglite' ? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-importazioni-')) : null;
  const db = engine === 'postgres' ? await openDb({ databaseUrl: url, schema }) : await openDb({ pgliteDir: tmp!, pgliteSettings: loadConfig().pgliteSettings });
  const out: { passo: string; secondi: number; righe: number; loadavg_1m: number; pavimento_s?: number; rapporto?: number; cpu_node_s?: number; cpu_backend_s?: number; cpu_lavoratori_s?: number }[] = [];
  try {
    await migrate(db);
    const rssPrima = mb(process.memoryUsage().rss);
    // Where the memory is: the JavaScript heap, or buffers outside it (PGlite's WebAssembly memory).
    const peak = { heap: 0, external: 0, arrayBuffers: 0 };
    const sample = setInterval(() => {
      const m = process.memoryUsage();
      peak.heap = Math.max(peak.heap, m.heapTotal);
      peak.external = Math.max(peak.external, m.external);
      peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
    }, 50);
    const opts = { utente: 'bench', log: (m: string) => console.error(`  ${m}`) };
    const step = async (passo: string, f: () => Promise<{ righe?: Record<string, number> }>) => {
      const cpu0 = process.cpuUsage();
      const be0 = engine === 'postgres' ? await cpuBackend(db) : new Map<number, number>();
      // The parallel workers of index builds live less than the step: sampled (bench/cpu.ts).
      const lavoratori = engine === 'postgres' ? campionaLavoratori(db) : null;
      const t = process.hrtime.bigint();
      const r = await f();
      const secondi = Number(process.hrtime.bigint() - t) / 1e9;
      const cpuLavoratori = (await lavoratori?.ferma()) ?? 0;
      const cpu = process.cpuUsage(cpu0);
      const nodeCpu = (cpu.user + cpu.system) / 1e6;
      const be1 = engine === 'postgres' ? await cpuBackend(db) : new Map<number, number>();
      const backend = [...be1].reduce((s, [pid, c]) => s + c - (be0.get(pid) ?? 0), 0);
      out.push({ passo, secondi: +secondi.toFixed(2), righe: Object.values(r.righe ?? {}).reduce((a, b) => a + Number(b), 0), loadavg_1m: load(), cpu_node_s: +nodeCpu.toFixed(2), ...(engine === 'postgres' ? { cpu_backend_s: +backend.toFixed(2), cpu_lavoratori_s: +cpuLavoratori.toFixed(2) } : {}) });
      console.error(`${passo}: ${secondi.toFixed(2)} s, CPU node ${nodeCpu.toFixed(2)} s${engine === 'postgres' ? `, backend ${backend.toFixed(2)} s + lavoratori paralleli ${cpuLavoratori.toFixed(2)} s` : ''} (load ${load()})`);
    };
    await importComuni(db, path.join(dir, 'comuni.csv'), { utente: 'bench' });
    if (passi.includes('siz')) await step('import siz', () => importSiz(db, path.join(dir, 'siz'), opts));
    if (passi.includes('anagrafe')) {
      await step('import anagrafe T0', () => importAnagrafe(db, path.join(dir, 'anagrafe', '1', 'anagrafe.csv'), { ...opts, oggi: OGGI }));
      await step('import anagrafe T1', () => importAnagrafe(db, path.join(dir, 'anagrafe', '2', 'anagrafe.csv'), { ...opts, oggi: OGGI }));
    }
    const rssPicco = mb(process.resourceUsage().maxRSS * 1024);
    clearInterval(sample);
    if (engine === 'postgres') {
      const floors = await pavimentoCopy(url, schema, dir);
      for (const p of out) {
        const f = floors.find((x) => x.nome === `COPY ${p.passo.slice('import '.length)}`);
        if (f) {
          p.pavimento_s = f.secondi;
          p.rapporto = +(p.secondi / f.secondi).toFixed(2);
        }
      }
      const tot = out.reduce((s, p) => s + p.secondi, 0);
      const pav = out.reduce((s, p) => s + (p.pavimento_s ?? 0), 0);
      out.push({ passo: 'import (totale)', secondi: +tot.toFixed(2), righe: out.reduce((s, p) => s + p.righe, 0), loadavg_1m: load(), pavimento_s: +pav.toFixed(2), rapporto: +(tot / pav).toFixed(2) });
    }
    for (const p of out) console.log(`${p.passo.padEnd(20)} ${p.secondi.toFixed(2).padStart(7)} s  ${String(p.righe).padStart(9)} righe  pavimento ${p.pavimento_s?.toFixed(2) ?? '-'} s  rapporto ${p.rapporto ?? '-'}  CPU node ${p.cpu_node_s ?? '-'} s backend ${p.cpu_backend_s ?? '-'} s + ${p.cpu_lavoratori_s ?? '-'} s  load ${p.loadavg_1m}`);
    console.log(JSON.stringify({ scala, engine, passi: out, rss_prima_mb: rssPrima, rss_picco_mb: rssPicco, heap_picco_mb: mb(peak.heap), esterna_picco_mb: mb(peak.external), array_buffer_picco_mb: mb(peak.arrayBuffers), loadavg: os.loadavg().map((x) => +x.toFixed(2)) }));
  } finally {
    if (engine === 'postgres') await db.knex.raw('drop schema if exists ?? cascade', [schema]).catch(() => undefined);
    await db.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
