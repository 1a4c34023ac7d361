/**
 * The benchmark of the nightly cycle: `npm run bench -- [--scala ambito|quarto|regione]
 * [--db pglite|postgres] [--durata S] [--connessioni N] [--seme N]`, or the growth curve of the
 * cycle over several sizes: `npm run bench -- --crescita [ambito,quarto,regione] [--db postgres]`.
 * See docs/bench.md and docs/scaling.md.
 *
 * Three processes, so each figure belongs to what it measures:
 *  - this one (the "orchestrator"): the data set cache, the load generator (autocannon), the
 *    table and the JSON file;
 *  - a generator child, only when the data set is not cached yet (its memory is not counted);
 *  - the "app" child (bench/app.ts): one application instance as in production: it opens the
 *    database, runs the nightly cycle, serves the pages, runs the cycle again while the pages
 *    are under load. Its peak RSS is the figure reported.
 * PGlite is one process's database, so the cycle and the server must share that app child.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { misuraPagina, MisuraPagina } from './carico';
import { stampaTabella, Risultati } from './tabella';
import { App, dropSchema, preparaDataset } from './figlio';
import { crescita } from './crescita';
import { bersagli as pagineDelBench, OGGI } from './bersagli';

export { OGGI };

function arg(nome: string, def: string): string {
  const i = process.argv.indexOf(`--${nome}`);
  return i >= 0 && process.argv[i + 1] && !process.argv[i + 1].startsWith('--') ? process.argv[i + 1] : def;
}

async function main(): Promise<void> {
  const scala = arg('scala', 'ambito');
  const engine = arg('db', 'pglite');
  const durata = Number(arg('durata', '20'));
  const connessioni = Number(arg('connessioni', '20'));
  const seme = Number(arg('seme', '2020'));
  if (scala !== 'ambito' && scala !== 'quarto' && scala !== 'regione') throw new Error(`--scala ambito|quarto|regione (non "${scala}")`);
  if (engine !== 'pglite' && engine !== 'postgres') throw new Error(`--db pglite|postgres (non "${engine}")`);
  if (!(durata > 0) || !(connessioni > 0) || !Number.isSafeInteger(seme)) throw new Error('--durata, --connessioni e --seme sono numeri positivi');
  const say = (s: string) => process.stderr.write(`[bench] ${s}\n`);
  const inizio = new Date();
  const loadInizio = os.loadavg();

  // 1. The data set, generated once per (scala, seme, oggi) in a child process.
  const { dir, generazione_s } = preparaDataset(scala, seme, OGGI, say);

  // 2. The app child: cycle, floors, server.
  const schema = `bench_${process.pid}`;
  const pgliteDir = engine === 'pglite' ? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-db-')) : null;
  const child = fork(path.join(__dirname, 'app.ts'), [], { execArgv: ['--require', path.join(__dirname, '..', 'bin', 'tsx-register.js')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const app = new App(child);
  try {
    app.send({ tipo: 'avvia', engine, dir, schema, pgliteDir, oggi: OGGI, databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' });
    say('ciclo notturno (a riposo) ...');
    const ciclo = await app.next('ciclo');
    const pronto = await app.next('pronto');
    say(`server su ${pronto.url}; scheda del comune ${pronto.istat}`);

    const bersagli = pagineDelBench(pronto.istat);
    const pagine: { riposo: MisuraPagina[]; durante_il_ciclo: MisuraPagina[] } = { riposo: [], durante_il_ciclo: [] };
    const memoria = async () => {
      app.send({ tipo: 'memoria' });
      const m = await app.next('memoria');
      say(`  memoria dell'applicazione: RSS ${m.rss_mb} MB (picco ${m.rss_picco_mb} MB), heap JS ${m.heap_mb} MB`);
    };
    for (const [nome, p] of bersagli) {
      say(`carico a riposo: ${p} (${connessioni} connessioni, ${durata} s)`);
      pagine.riposo.push(await misuraPagina(nome, pronto.url + p, pronto.cookie, durata, connessioni));
      await memoria();
    }

    // 3. The same cycle again while the pages are under load (the app repeats it until told to stop).
    say('ciclo notturno di nuovo, con le pagine sotto carico ...');
    app.send({ tipo: 'ciclo-sotto-carico' });
    for (const [nome, p] of bersagli) {
      say(`carico durante il ciclo: ${p}`);
      pagine.durante_il_ciclo.push(await misuraPagina(nome, pronto.url + p, pronto.cookie, durata, connessioni));
      await memoria();
    }
    app.send({ tipo: 'basta' });
    say('attendo la fine del ciclo sotto carico ...');
    const ciclo2 = await app.next('ciclo-sotto-carico');
    const fine = await app.next('fine');

    const risultati: Risultati = {
      scala,
      db: engine,
      seme,
      oggi: OGGI,
      avviato_il: inizio.toISOString(),
      durata_carico_s: durata,
      connessioni,
      macchina: { cpu: os.cpus().length, memoria_gb: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, loadavg_inizio: loadInizio.map((x) => +x.toFixed(2)), loadavg_fine: os.loadavg().map((x) => +x.toFixed(2)) },
      dataset: { dir, generazione_s, righe: ciclo.righe, mb: ciclo.mb },
      ciclo: ciclo.passi,
      pavimenti: ciclo.pavimenti,
      pagine,
      ciclo_sotto_carico: { passi: ciclo2.passi, ripetizioni: ciclo2.ripetizioni },
      rss_picco_mb: fine.rss_picco_mb,
      rss_picco_dopo_il_primo_ciclo_mb: ciclo.rss_picco_mb,
    };
    stampaTabella(risultati);
    const out = path.resolve(__dirname, '..', 'bench-results');
    fs.mkdirSync(out, { recursive: true });
    const file = path.join(out, `${inizio.toISOString().replace(/[:.]/g, '-')}-${scala}-${engine}.json`);
    fs.writeFileSync(file, JSON.stringify(risultati, null, 2) + '\n');
    say(`risultati in ${file}`);
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    // The app child is gone (and its sessions with it): dropping the schema cannot wait on its locks.
    if (engine === 'postgres') await dropSchema(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', schema);
    if (pgliteDir) fs.rmSync(pgliteDir, { recursive: true, force: true });
  }
}

(process.argv.includes('--crescita') ? crescita(arg('crescita', 'ambito,quarto,regione'), arg('db', 'postgres'), Number(arg('seme', '2020')), OGGI) : main()).catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
