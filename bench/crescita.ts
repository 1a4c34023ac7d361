/**
 * The growth curve of the nightly cycle (docs/scaling.md): `npm run bench -- --crescita
 * [ambito,quarto,regione] [--db postgres|pglite] [--seme N]`.
 *
 * For each size, in a fresh app child (bench/app.ts with `soloCiclo`, so each size's peak RSS is
 * its own): the data set (cached), the whole nightly cycle, the floors. Then one table per
 * measure, time and peak RSS, with a step per row and a size per column, and the fitted growth of
 * each step: the exponent b of time = a * rows^b by least squares on the logarithms (b = 1 is
 * linear, b > 1 grows faster than the data). The national size (8,000 comuni, 60 M residents, 6x
 * the region; its rows are the largest measured size's rows per resident times 60 M) is
 * extrapolated from the fit and printed as such: generating and loading it takes longer than a
 * benchmark should.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, dropSchema, preparaDataset } from './figlio';
import type { Passo } from './protocollo';

/** Residents of each size (server/genera: the ambito of Lodi, the synthetic quarter and region). */
export const RESIDENTI: Record<string, number> = { ambito: 238_888, quarto: 2_500_000, regione: 10_000_000 };
/** The national size: 8,000 comuni, 60 M residents, 6x the region. The generator's rates are per resident. */
export const RESIDENTI_NAZIONE = 60_000_000;

export interface Misura {
  scala: string;
  righe: number;
  mb: number;
  passi: Passo[];
  rss_picco_mb: number;
  loadavg: number[];
}

/** Least squares on logs: y = a * x^b. Null with fewer than two usable points. */
export function adatta(punti: { x: number; y: number }[]): { a: number; b: number } | null {
  const p = punti.filter((q) => q.x > 0 && q.y > 0);
  if (p.length < 2) return null;
  const lx = p.map((q) => Math.log(q.x));
  const ly = p.map((q) => Math.log(q.y));
  const mx = lx.reduce((s, v) => s + v, 0) / p.length;
  const my = ly.reduce((s, v) => s + v, 0) / p.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < p.length; i++) {
    num += (lx[i] - mx) * (ly[i] - my);
    den += (lx[i] - mx) ** 2;
  }
  if (den === 0) return null;
  const b = num / den;
  return { a: Math.exp(my - b * mx), b };
}

/** Words for an exponent: what a reader of the table needs. */
export function andamento(b: number | undefined): string {
  if (b === undefined) return '-';
  if (b < 0.85) return 'sublineare';
  if (b <= 1.15) return 'lineare';
  if (b <= 1.5) return 'più che lineare';
  return 'quadratica o peggio';
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** The two tables (seconds, peak RSS MB) as text. Pure: tested in test/bench/crescita.test.ts. */
export function tabellaCrescita(misure: Misura[]): string {
  const o: string[] = [];
  const grande = misure[misure.length - 1];
  // The rows of the nation: the largest measured size's rows per resident, times 60 M residents.
  const righeNaz = Math.round((grande.righe / (RESIDENTI[grande.scala] ?? NaN)) * RESIDENTI_NAZIONE);
  const passi = grande.passi.map((p) => p.passo);
  o.push(`CRESCITA DEL CICLO NOTTURNO  (b = esponente di tempo = a * righe^b; "nazione" = 60 M residenti, ESTRAPOLATA dall'adattamento, non misurata)`);
  o.push(`dimensioni: ${misure.map((m) => `${m.scala} ${m.righe.toLocaleString('en-US')} righe, ${m.mb} MB, load ${m.loadavg.join('/')}`).join('; ')}; nazione ~${righeNaz.toLocaleString('en-US')} righe`);
  for (const [titolo, valore, unita] of [
    ['SECONDI per passo', (p: Passo | undefined) => p?.secondi, 's'],
    ['RSS DI PICCO alla fine del passo (MB, il processo dell\'applicazione)', (p: Passo | undefined) => p?.rss_mb, 'MB'],
  ] as const) {
    o.push(`\n${titolo}`);
    const cols = [...misure.map((m) => m.scala), 'nazione (stima)', 'b', 'andamento'];
    o.push([pad('passo', 26), ...cols.map((c, i) => lpad(c, i === cols.length - 1 ? 20 : 15))].join('  '));
    for (const nome of passi) {
      if (unita === 'MB' && nome.includes('(totale)')) continue; // a sum of steps has no RSS of its own
      const ys = misure.map((m) => valore(m.passi.find((p) => p.passo === nome)));
      const fit = adatta(misure.map((m, i) => ({ x: m.righe, y: ys[i] ?? 0 })));
      const stima = fit ? fit.a * righeNaz ** fit.b : undefined;
      const f = (v: number | undefined) => (v === undefined ? '-' : unita === 's' ? v.toFixed(2) : String(Math.round(v)));
      o.push([pad(nome, 26), ...ys.map((y) => lpad(f(y), 15)), lpad(f(stima), 15), lpad(fit ? fit.b.toFixed(2) : '-', 15), lpad(andamento(fit?.b), 20)].join('  '));
    }
  }
  o.push(`\nRSS di picco per dimensione (MB): ${misure.map((m) => `${m.scala} ${m.rss_picco_mb}`).join(', ')}`);
  return o.join('\n');
}

export async function crescita(scale: string, engine: string, seme: number, oggi: string): Promise<void> {
  const say = (s: string) => process.stderr.write(`[bench crescita] ${s}\n`);
  if (engine !== 'postgres' && engine !== 'pglite') throw new Error(`--db pglite|postgres (non "${engine}")`);
  const elenco = scale.split(',');
  for (const s of elenco) if (!['ambito', 'quarto', 'regione'].includes(s)) throw new Error(`--crescita: scala sconosciuta "${s}" (ambito, quarto, regione)`);
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const misure: Misura[] = [];
  for (const scala of elenco) {
    const { dir } = preparaDataset(scala, seme, oggi, say);
    const schema = `bench_${process.pid}_${scala}`;
    const pgliteDir = engine === 'pglite' ? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-db-')) : null;
    const child = fork(path.join(__dirname, 'app.ts'), [], { execArgv: ['--require', path.join(__dirname, '..', 'bin', 'tsx-register.js')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const app = new App(child);
    try {
      say(`${scala}: ciclo notturno ...`);
      const l0 = os.loadavg()[0];
      app.send({ tipo: 'avvia', engine, dir, schema, pgliteDir, oggi, databaseUrl, soloCiclo: true });
      const ciclo = await app.next('ciclo');
      const fine = await app.next('fine');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
      const righe = Object.values(ciclo.righe).reduce((a, b) => a + b, 0);
      misure.push({ scala, righe, mb: ciclo.mb, passi: ciclo.passi, rss_picco_mb: fine.rss_picco_mb, loadavg: [+l0.toFixed(2), +os.loadavg()[0].toFixed(2)] });
      say(`${scala}: ${righe} righe, ciclo ${ciclo.passi.find((p) => p.passo === 'ciclo notturno (totale)')?.secondi} s, RSS ${fine.rss_picco_mb} MB`);
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      if (engine === 'postgres') await dropSchema(databaseUrl, schema);
      if (pgliteDir) fs.rmSync(pgliteDir, { recursive: true, force: true });
    }
  }
  console.log(tabellaCrescita(misure));
  const out = path.resolve(__dirname, '..', 'bench-results');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `${new Date().toISOString().replace(/[:.]/g, '-')}-crescita-${engine}.json`);
  fs.writeFileSync(file, JSON.stringify({ engine, seme, oggi, residenti: RESIDENTI, residenti_nazione: RESIDENTI_NAZIONE, misure }, null, 2) + '\n');
  say(`risultati in ${file}`);
}
