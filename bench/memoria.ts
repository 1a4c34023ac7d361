/**
 * The memory of the web server at a scale (issue 21, point 6: peak RSS ≤ 500 MB at the regional
 * scale), page by page, without the nightly cycle of `npm run bench`:
 *
 *   BENCH_DATABASE_URL=postgres://... npm run bench:memoria -- [--scala regione] [--schema S]
 *     [--ripeti 3] [--altri 0] [--latenza 0] [--vivo] [--istantanea DIR] [--profilo DIR] [--rifai]
 *
 * 1. The data set (bench/dataset.ts) is loaded once into the PostgreSQL schema S (default
 *    `memoria_<scala>`) by a child process running the nightly cycle (bench/ciclo.ts); the schema
 *    is kept, so the next run starts from the pages (`--rifai` loads it again).
 * 2. A fresh child serves the app on that schema, as `cruscotto serve` does (HEAP_CRESCITA
 *    applies), and this process requests every page of the regional benchmark
 *    (bench/bersagli.ts) in order: the first request (cold: the page's document is computed),
 *    then `--ripeti` more. After each page the child's RSS, its peak RSS so far and its JS heap.
 *    `--vivo` adds the heap after a full collection (the live set; the collection itself lowers
 *    the later peaks, so a run measuring the peak goes without it). `--istantanea DIR` writes a
 *    heap snapshot after each page (slow, large).
 * 3. `--altri N` (at most 5): then the scorecards of the next N largest comuni, each once (cold).
 * 4. `--latenza N`: afterwards, N requests in a row per page (one at a time, warm), median and p95.
 * 5. `--carico S`: afterwards, each page under load for S seconds (autocannon, `--connessioni`
 *    at once, default 20, as `npm run bench` idle: bench/carico.ts), p95 beside /salute's;
 *    the requests say `Accept-Encoding: gzip, deflate, br` as a browser does (`--codifica nessuna`:
 *    none, the bare cost of the page).
 *    `--solo a,b` keeps only the pages whose name contains one of the words (with /salute).
 * `--profilo DIR`: the serving child writes a CPU profile (node --cpu-prof) into DIR when it
 * exits: where the first requests' seconds go.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { once } from 'node:events';
import pino from 'pino';
import { loadConfig } from '../server/config';
import { AppContext, ensureNomenclature, fixedClock } from '../server/context';
import { migrate, openDb } from '../server/db';
import { createApp } from '../server/app';
import { limitaCrescitaHeap } from '../server/shared/heap';
import { createUser, findUserByEmail } from '../server/auth/utenti';
import { createSession } from '../server/auth/sessioni';
import { SESSION_COOKIE, sign } from '../server/auth/cookies';
import { fattiCorrenti } from '../server/fatti/leggi';
import { runJob } from '../jobs/index';
import { cicloNotturno } from './ciclo';
import { bersagli, OGGI } from './bersagli';
import { preparaDataset } from './figlio';
import { CODIFICA_BROWSER, misuraPagina } from './carico';

const SEGRETO = 'segreto-del-benchmark-della-memoria';
const URL_DB = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function arg(nome: string, def: string): string {
  const i = process.argv.indexOf(`--${nome}`);
  return i >= 0 && process.argv[i + 1] && !process.argv[i + 1].startsWith('--') ? process.argv[i + 1] : def;
}
const mb = (b: number) => Math.round(b / 1e6);
const piccoMb = () => mb(process.resourceUsage().maxRSS * 1024);
const say = (s: string) => process.stderr.write(`[memoria] ${s}\n`);
const carico = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

type Memoria = { rss: number; picco: number; heap: number; heapTotale: number; esterna: number; vivo?: number };

async function contesto(schema: string): Promise<AppContext> {
  const db = await openDb({ databaseUrl: URL_DB, schema });
  await migrate(db);
  const ctx: AppContext = { config: loadConfig({ DATA_DIR: os.tmpdir(), SESSION_SECRET: SEGRETO, LOG_LEVEL: 'silent', HEAP_CRESCITA: process.env.HEAP_CRESCITA }), db, log: pino({ level: 'silent' }), clock: fixedClock(OGGI) };
  await ensureNomenclature(ctx);
  return ctx;
}

/** Child `--carica DIR SCHEMA`: the nightly cycle into the schema, once. */
async function carica(dir: string, schema: string): Promise<void> {
  const ctx = await contesto(schema);
  const passi = await cicloNotturno(ctx, dir, OGGI);
  say(`ciclo notturno ${passi.at(-1)?.secondi} s`);
  await ctx.db.close();
}

/** Child `--servi SCHEMA`: the app, answering `memoria` and `istantanea` messages. */
async function servi(schema: string): Promise<void> {
  const ctx = await contesto(schema);
  // The facts of another schema version (a migration since the load) are stale: computed again, once.
  if (!(await fattiCorrenti(ctx.db))) {
    say('fatti non correnti (migrazione?): li ricalcolo ...');
    const r = await runJob(ctx, 'fatti', { oggi: OGGI, origine: 'bench' });
    if (r.esito !== 'ok') throw new Error(`fatti: ${r.messaggio}`);
  }
  limitaCrescitaHeap(ctx.config.heapCrescita);
  const u = (await findUserByEmail(ctx.db, 'udp@bench.example')) ?? (await createUser(ctx.db, { email: 'udp@bench.example', ruolo: 'udp', password: 'password-del-benchmark' })).utente;
  const s = await createSession(ctx.db, u.id, ctx.clock.now());
  const grandi = (await ctx.db.knex('comuni').select('codice_istat').orderBy([{ column: 'popolazione', order: 'desc' }, 'codice_istat']).limit(6)) as { codice_istat: string }[];
  const istat = grandi[0].codice_istat;
  const srv = http.createServer(createApp({ ctx }));
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  process.on('message', (m: { tipo: string; vivo?: boolean; file?: string }) => {
    if (m.tipo === 'memoria') {
      const u = process.memoryUsage();
      const out: Memoria = { rss: mb(u.rss), picco: piccoMb(), heap: mb(u.heapUsed), heapTotale: mb(u.heapTotal), esterna: mb(u.external) };
      if (m.vivo && global.gc) {
        global.gc();
        out.vivo = mb(process.memoryUsage().heapUsed);
      }
      process.send!({ tipo: 'memoria', m: out });
    }
    if (m.tipo === 'istantanea') process.send!({ tipo: 'istantanea', file: v8.writeHeapSnapshot(m.file) });
    if (m.tipo === 'basta') {
      srv.closeAllConnections();
      srv.close();
      void ctx.db.close().then(() => process.exit(0));
    }
  });
  process.send!({ tipo: 'pronto', url: `http://127.0.0.1:${port}`, cookie: `${SESSION_COOKIE}=${sign(s.id, SEGRETO)}`, istat, altri: grandi.slice(1).map((c) => c.codice_istat) });
}

function figlio(argv: string[], execArgv: string[] = []) {
  return fork(__filename, argv, { execArgv: [...execArgv, '--require', path.join(__dirname, '..', 'bin', 'tsx-register.js')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function risposta<T>(c: ReturnType<typeof fork>, tipo: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const uscito = (code: number | null) => reject(new Error(`il processo figlio è uscito (${code}) mentre attendevo "${tipo}"`));
    const on = (m: { tipo: string }) => {
      if (m.tipo !== tipo) return;
      c.off('message', on);
      c.off('exit', uscito);
      resolve(m as T);
    };
    c.on('message', on);
    c.once('exit', uscito);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function richiesta(url: string, cookie: string): Promise<number> {
  const t0 = performance.now();
  const r = await fetch(url, { headers: { cookie }, redirect: 'manual' });
  await r.arrayBuffer();
  if (r.status !== 200) throw new Error(`${url}: HTTP ${r.status}`);
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const scala = arg('scala', 'regione');
  const schema = arg('schema', `memoria_${scala}`);
  const ripeti = Number(arg('ripeti', '3'));
  const latenza = Number(arg('latenza', '0'));
  const altri = Number(arg('altri', '0'));
  const vivo = process.argv.includes('--vivo');
  const istantanee = arg('istantanea', '');
  const profilo = arg('profilo', '');
  const caricoS = Number(arg('carico', '0'));
  const connessioni = Number(arg('connessioni', '20'));
  // The load asks for compressed pages as a browser does; `--codifica nessuna` for none.
  const codifica = arg('codifica', CODIFICA_BROWSER);
  const solo = arg('solo', '').split(',').filter(Boolean);
  const { Client } = await import('pg');
  const pg = new Client({ connectionString: URL_DB });
  await pg.connect();
  if (process.argv.includes('--rifai')) await pg.query(`drop schema if exists "${schema.replace(/"/g, '')}" cascade`);
  const caricato = (await pg.query(`select count(*)::int as n from information_schema.tables where table_schema = $1 and table_name = 'fatti_stato'`, [schema])).rows[0].n > 0 && (await pg.query(`select count(*)::int as n from "${schema.replace(/"/g, '')}".fatti_stato`)).rows[0].n > 0;
  await pg.end();
  if (!caricato) {
    const { dir } = preparaDataset(scala, 2020, OGGI, say);
    say(`carico ${dir} nello schema ${schema} (il ciclo notturno, una volta) ...`);
    const c = figlio(['--carica', dir, schema]);
    const [code] = (await once(c, 'exit')) as [number];
    if (code !== 0) throw new Error(`caricamento non riuscito (${code})`);
  }
  say(`schema ${schema}; HEAP_CRESCITA=${process.env.HEAP_CRESCITA ?? '(predefinito)'}; carico ${carico()}`);
  const c = figlio(['--servi', schema], [...(vivo ? ['--expose-gc'] : []), ...(profilo ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(profilo)] : [])]);
  try {
    const pronto = await risposta<{ url: string; cookie: string; istat: string; altri: string[] }>(c, 'pronto');
    const memoria = async () => {
      c.send({ tipo: 'memoria', vivo });
      return (await risposta<{ m: Memoria }>(c, 'memoria')).m;
    };
    const riga = (m: Memoria) => `RSS ${m.rss} MB, picco ${m.picco} MB, heap ${m.heap}/${m.heapTotale} MB, esterna ${m.esterna} MB${m.vivo !== undefined ? `, vivo ${m.vivo} MB` : ''}`;
    say(`avvio: ${riga(await memoria())}`);
    const pagine = bersagli(pronto.istat).filter(([nome]) => solo.length === 0 || nome.startsWith('salute') || solo.some((w) => nome.includes(w)));
    let i = 0;
    for (const [nome, p] of pagine) {
      const primo = await richiesta(pronto.url + p, pronto.cookie);
      const m1 = await memoria();
      const altri: number[] = [];
      for (let k = 0; k < ripeti; k++) altri.push(await richiesta(pronto.url + p, pronto.cookie));
      const m2 = await memoria();
      say(`${nome}: prima ${primo.toFixed(0)} ms (${riga(m1)}); poi ${altri.map((t) => t.toFixed(0)).join('/')} ms (${riga(m2)}); carico ${carico()}`);
      if (istantanee) {
        c.send({ tipo: 'istantanea', file: path.join(istantanee, `${String(++i).padStart(2, '0')}-${nome.replace(/\W+/g, '_')}.heapsnapshot`) });
        say(`  istantanea ${(await risposta<{ file: string }>(c, 'istantanea')).file}`);
      }
    }
    // A reader going from comune to comune: the scorecards of the next largest, each cold once.
    for (const istat of pronto.altri.slice(0, altri)) {
      const t = await richiesta(`${pronto.url}/comuni/${istat}`, pronto.cookie);
      say(`scheda di un altro comune (${istat}): prima ${t.toFixed(0)} ms (${riga(await memoria())}); carico ${carico()}`);
    }
    if (latenza > 0) {
      for (const [nome, p] of pagine) {
        const t: number[] = [];
        for (let k = 0; k < latenza; k++) t.push(await richiesta(pronto.url + p, pronto.cookie));
        t.sort((a, b) => a - b);
        say(`latenza ${nome}: mediana ${percentile(t, 50).toFixed(1)} ms, p95 ${percentile(t, 95).toFixed(1)} ms (${latenza} richieste in fila; carico ${carico()})`);
      }
    }
    if (caricoS > 0) {
      for (const [nome, p] of pagine) {
        const m = await misuraPagina(nome, pronto.url + p, pronto.cookie, caricoS, connessioni, codifica === 'nessuna' ? null : codifica);
        say(`carico ${nome}: ${m.richieste_al_secondo} richieste/s, mediana ${m.mediana_ms} ms, p95 ${m.p95_ms} ms, p99 ${m.p99_ms} ms, errori ${m.errori} (${connessioni} connessioni, ${caricoS} s; carico ${carico()})`);
      }
    }
    const fine = await memoria();
    say(`PICCO RSS ${fine.picco} MB (${riga(fine)}); carico ${carico()}`);
  } finally {
    if (c.exitCode === null) {
      c.send({ tipo: 'basta' });
      await once(c, 'exit');
    }
  }
}

const i = process.argv.indexOf('--carica');
const j = process.argv.indexOf('--servi');
(i >= 0 ? carica(process.argv[i + 1], process.argv[i + 2]) : j >= 0 ? servi(process.argv[j + 1]) : main()).catch((e) => {
  console.error(e);
  process.exit(1);
});
