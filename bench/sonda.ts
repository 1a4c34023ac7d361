/**
 * The pages through a whole nightly cycle, request by request: `npm run bench:sonda -- [--scala
 * ambito|quarto|regione] [--db pglite|postgres] [--soglia MS] [--attivita FILE]`.
 *
 * `npm run bench` measures each page for a few seconds in turn while the cycle runs, so a page
 * sees only the part of the night that falls in its turn. Here every page is asked at once, one
 * connection each in a closed loop (a request as soon as the previous answer arrives), from the
 * start of the cycle to its end, and every request is kept with the moment it was sent: what it
 * prints is, for each step of the cycle, how many requests took longer than the threshold and
 * the longest, then the longest requests with their page and step. This is how the night's
 * stalls between its steps were found (docs/fatti.md, «The night between its steps»).
 *
 * The app child is bench/app.ts, as `npm run bench` drives it: the cycle once at rest (its pages
 * then computed once each, as a reader would have), then again with the probe running.
 * `--attivita FILE` (PostgreSQL) also writes, every 250 ms, what each of the database's
 * backends was doing (pg_stat_activity): which queries the pages were waiting for.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, dropSchema, preparaDataset } from './figlio';
import { bersagli, OGGI } from './bersagli';
import type { Passo } from './protocollo';

function arg(nome: string, def: string): string {
  const i = process.argv.indexOf(`--${nome}`);
  return i >= 0 && process.argv[i + 1] && !process.argv[i + 1].startsWith('--') ? process.argv[i + 1] : def;
}

interface Richiesta {
  /** ms from the start of the cycle */
  inviata: number;
  ms: number;
  pagina: string;
  stato: number;
}

/** The step of the cycle running at `t` ms (the steps one after the other, as bench/ciclo.ts runs them). */
export function passoAl(passi: Passo[], t: number): string {
  let fine = 0;
  for (const p of passi) {
    if (p.passo.includes('totale')) continue;
    fine += p.secondi * 1000;
    if (t < fine) return p.passo;
  }
  return 'dopo il ciclo';
}

async function main(): Promise<void> {
  const scala = arg('scala', 'ambito');
  const engine = arg('db', 'pglite');
  const soglia = Number(arg('soglia', '300'));
  const attivita = arg('attivita', '');
  if (!['ambito', 'quarto', 'regione'].includes(scala)) throw new Error(`--scala ambito|quarto|regione (non "${scala}")`);
  if (engine !== 'pglite' && engine !== 'postgres') throw new Error(`--db pglite|postgres (non "${engine}")`);
  if (!(soglia > 0)) throw new Error('--soglia: millisecondi, un numero positivo');
  const say = (s: string) => process.stderr.write(`[sonda] ${s}\n`);
  const { dir } = preparaDataset(scala, 2020, OGGI, say);
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `sonda_${process.pid}`;
  const pgliteDir = engine === 'pglite' ? fs.mkdtempSync(path.join(os.tmpdir(), 'sonda-db-')) : null;
  const child = fork(path.join(__dirname, 'app.ts'), [], { execArgv: ['--require', path.join(__dirname, '..', 'bin', 'tsx-register.js')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const app = new App(child);
  try {
    app.send({ tipo: 'avvia', engine, dir, schema, pgliteDir, oggi: OGGI, databaseUrl: url });
    say('ciclo notturno a riposo ...');
    await app.next('ciclo');
    const pronto = await app.next('pronto');
    const pagine = bersagli(pronto.istat);
    for (const [, p] of pagine) await (await fetch(pronto.url + p, { headers: { cookie: pronto.cookie } })).text();
    say(`${pagine.length} pagine calcolate una volta; il ciclo di nuovo, ogni pagina chiesta di continuo ...`);
    const t0 = performance.now();
    app.send({ tipo: 'ciclo-sotto-carico' });
    app.send({ tipo: 'basta' });
    let fine = false;
    const richieste: Richiesta[] = [];
    const ciclo = async (pagina: string, p: string) => {
      while (!fine) {
        const s = performance.now();
        try {
          const r = await fetch(pronto.url + p, { headers: { cookie: pronto.cookie, 'accept-encoding': 'gzip, deflate, br' } });
          await r.arrayBuffer();
          richieste.push({ inviata: s - t0, ms: performance.now() - s, pagina, stato: r.status });
        } catch {
          // The server closes its connections once the cycle is over: those answers do not count.
          if (!fine) richieste.push({ inviata: s - t0, ms: performance.now() - s, pagina, stato: 0 });
        }
      }
    };
    const campioni: string[] = [];
    let pg: import('pg').Client | null = null;
    if (attivita && engine === 'postgres') {
      pg = new (await import('pg')).Client({ connectionString: url });
      await pg.connect();
    }
    const campiona = async () => {
      while (pg && !fine) {
        const t = ((performance.now() - t0) / 1000).toFixed(2);
        const r = await pg.query(
          `select pid, state, wait_event_type as tipo, wait_event as evento, round(extract(epoch from now() - query_start)::numeric, 2) as s,
                  left(regexp_replace(query, '\\s+', ' ', 'g'), 120) as q
             from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'`,
        );
        campioni.push(`${t}\t${r.rows.map((x) => `[${x.pid} ${x.state} ${x.tipo ?? ''}:${x.evento ?? ''} ${x.s}s ${x.q}]`).join(' ')}`);
        await new Promise((ok) => setTimeout(ok, 250));
      }
    };
    const lavori = [...pagine.map(([n, p]) => ciclo(n, p)), campiona()];
    const { passi } = await app.next('ciclo-sotto-carico');
    fine = true;
    await Promise.all(lavori);
    await pg?.end();
    if (attivita) fs.writeFileSync(attivita, campioni.join('\n') + '\n');

    console.log(`\nSONDA  scala=${scala}  db=${engine}  ${pagine.length} pagine, una connessione ciascuna, per tutto il ciclo; soglia ${soglia} ms`);
    console.log(`${'passo'.padEnd(22)} ${'secondi'.padStart(8)} ${'richieste'.padStart(10)} ${`> ${soglia} ms`.padStart(10)} ${'max ms'.padStart(9)}`);
    for (const p of passi) {
      if (p.passo.includes('totale')) continue;
      const qui = richieste.filter((r) => passoAl(passi, r.inviata) === p.passo);
      const max = Math.max(0, ...qui.map((r) => r.ms));
      console.log(`${p.passo.padEnd(22)} ${p.secondi.toFixed(2).padStart(8)} ${String(qui.length).padStart(10)} ${String(qui.filter((r) => r.ms > soglia).length).padStart(10)} ${max.toFixed(0).padStart(9)}`);
    }
    const errori = richieste.filter((r) => r.stato !== 200).length;
    console.log(`totale: ${richieste.length} richieste, ${richieste.filter((r) => r.ms > soglia).length} oltre ${soglia} ms, ${errori} non 200; ciclo ${passi.find((p) => p.passo.includes('totale'))?.secondi} s`);
    const lente = [...richieste].sort((a, b) => b.ms - a.ms).slice(0, 10);
    if (lente.length) console.log('\nle più lente:');
    for (const r of lente) console.log(`  ${r.ms.toFixed(0).padStart(7)} ms  ${r.pagina}, inviata a ${(r.inviata / 1000).toFixed(2)} s (${passoAl(passi, r.inviata)}), HTTP ${r.stato}`);
  } finally {
    child.kill();
    if (engine === 'postgres') await dropSchema(url, schema).catch(() => undefined);
    if (pgliteDir) fs.rmSync(pgliteDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
