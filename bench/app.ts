/**
 * The app child of the benchmark (see bench/index.ts): one application instance that runs the
 * nightly cycle, measures the floors, serves the pages and runs the cycle again under load.
 * Driven by IPC messages (bench/protocollo.ts).
 */
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import pino from 'pino';
import { loadConfig } from '../server/config';
import { AppContext, ensureNomenclature, fixedClock } from '../server/context';
import { migrate, openDb } from '../server/db';
import { createApp } from '../server/app';
import { limitaCrescitaHeap } from '../server/shared/heap';
import { createUser } from '../server/auth/utenti';
import { createSession } from '../server/auth/sessioni';
import { SESSION_COOKIE, sign } from '../server/auth/cookies';
import { filesOf } from './dataset';
import { cicloNotturno } from './ciclo';
import { pavimentoCopy, pavimentoScansione } from './pavimenti';
import type { Comando, Messaggio, Passo } from './protocollo';

const SEGRETO = 'segreto-del-benchmark-del-ciclo-notturno';

function send(m: Messaggio): void {
  process.send!(m);
}

const rssMb = () => Math.round((process.resourceUsage().maxRSS * 1024) / 1e6);

async function avvia(c: Extract<Comando, { tipo: 'avvia' }>): Promise<void> {
  const db = c.engine === 'postgres' ? await openDb({ databaseUrl: c.databaseUrl, schema: c.schema }) : await openDb({ pgliteDir: path.join(c.pgliteDir!, 'db'), pgliteSettings: loadConfig({ PGLITE_MEMORY: process.env.PGLITE_MEMORY }).pgliteSettings });
  await migrate(db);
  // An injected clock: "today" and the sessions do not depend on when the benchmark runs.
  // No registerFeatures(): the after-import hooks would run the jobs after every import; the
  // benchmark runs each job once, explicitly, and times it as its own step.
  const ctx: AppContext = {
    config: loadConfig({ DATA_DIR: c.pgliteDir ?? os.tmpdir(), SESSION_SECRET: SEGRETO, LOG_LEVEL: 'silent', HEAP_CRESCITA: process.env.HEAP_CRESCITA }),
    db,
    log: pino({ level: 'silent' }),
    clock: fixedClock(c.oggi),
  };
  await ensureNomenclature(ctx);
  // As `cruscotto serve` does (server/cli/serve.ts): the app child is the web server.
  limitaCrescitaHeap(ctx.config.heapCrescita);

  const passi = await cicloNotturno(ctx, c.dir, c.oggi);
  const righe = Object.fromEntries(passi.filter((p) => p.righe !== undefined).map((p) => [p.passo, p.righe!]));
  const mb = +(filesOf(c.dir).reduce((s, f) => s + f.bytes, 0) / 1e6).toFixed(1);

  // Floors, same data, same run (COPY: PostgreSQL only; the scan on both engines).
  const pavimenti = [];
  if (c.engine === 'postgres') {
    const copie = await pavimentoCopy(c.databaseUrl, c.schema, c.dir);
    pavimenti.push(...copie);
    const imp = passi.filter((p) => p.passo.startsWith('import '));
    const tot = copie.find((p) => p.nome === 'COPY totale');
    const tImp = imp.reduce((s, p) => s + p.secondi, 0);
    passi.push({ passo: 'import (totale)', secondi: +tImp.toFixed(2), righe: imp.reduce((s, p) => s + (p.righe ?? 0), 0), pavimento_s: tot?.secondi, loadavg_1m: +os.loadavg()[0].toFixed(2) });
    for (const p of imp) {
      const f = copie.find((x) => x.nome === `COPY ${p.passo.slice('import '.length)}`);
      if (f) p.pavimento_s = f.secondi;
    }
  }
  const scan = await pavimentoScansione(db);
  pavimenti.push(scan);
  const ric = passi.find((p) => p.passo === 'riconciliazione');
  if (ric) ric.pavimento_s = scan.secondi;
  send({ tipo: 'ciclo', passi, pavimenti, righe, mb, rss_picco_mb: rssMb() });
  if (c.soloCiclo) {
    // The growth curve (bench/crescita.ts) wants the cycle and its floors only.
    await db.close();
    send({ tipo: 'fine', rss_picco_mb: rssMb() });
    process.disconnect();
    return;
  }

  // The server: a signed-in UdP account, as a user would be.
  const { utente } = await createUser(db, { email: 'udp@bench.example', ruolo: 'udp', password: 'password-del-benchmark' });
  const s = await createSession(db, utente.id, ctx.clock.now());
  // The largest comune: its scorecard is the heaviest one.
  const [{ codice_istat: istat }] = await db.knex('comuni').select('codice_istat').orderBy([{ column: 'popolazione', order: 'desc' }, 'codice_istat']).limit(1);
  const srv = http.createServer(createApp({ ctx }));
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  send({ tipo: 'pronto', url: `http://127.0.0.1:${port}`, cookie: `${SESSION_COOKIE}=${sign(s.id, SEGRETO)}`, istat });

  let basta = false;
  process.on('message', (m: Comando) => {
    if (m.tipo === 'basta') basta = true;
    if (m.tipo === 'ciclo-sotto-carico') void sottoCarico();
    // The memory now and the peak so far, after each page measurement: which page or step it grows with.
    if (m.tipo === 'memoria') send({ tipo: 'memoria', rss_mb: Math.round(process.memoryUsage().rss / 1e6), rss_picco_mb: rssMb(), heap_mb: Math.round(process.memoryUsage().heapUsed / 1e6) });
  });
  async function sottoCarico(): Promise<void> {
    // The same work again. The SIZ import skips files whose checksum is already loaded, so
    // the loaded checksums are forgotten first: the worst night, a wholly new extract.
    let primo: Passo[] | null = null;
    let ripetizioni = 0;
    do {
      await db.knex('siz_tabelle').del();
      const p = await cicloNotturno(ctx, c.dir, c.oggi);
      primo ??= p;
      ripetizioni++;
    } while (!basta);
    send({ tipo: 'ciclo-sotto-carico', passi: primo, ripetizioni });
    srv.closeAllConnections();
    srv.close();
    const rss = rssMb();
    await db.close();
    send({ tipo: 'fine', rss_picco_mb: rss });
    process.disconnect();
  }
}

process.once('message', (c: Comando) => {
  if (c.tipo !== 'avvia') return;
  avvia(c).catch((e) => {
    console.error(e);
    process.exit(1);
  });
});
