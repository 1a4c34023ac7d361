/**
 * Latency of the comune scorecard and of the sportello page (issue 6): 20 concurrent clients
 * for 20 s each with autocannon, against the app on 127.0.0.1 with the demo ambito loaded.
 *
 *   npx tsx bench/pagine.ts [--db postgres|pglite] [--durata 20] [--connessioni 20]
 *
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), in a
 * throw-away schema. The server runs in a child process (`--server`), so the load generator
 * does not share its event loop. Every request carries a signed-in session (the login gate,
 * the session lookup and the CSRF setup run as in production). Prints one JSON line per target
 * with the median and the 95th percentile in ms, and the cold first-request time.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import pino from 'pino';
import { loadConfig } from '../server/config';
import { ensureNomenclature, fixedClock } from '../server/context';
import { migrate, openDb } from '../server/db';
import { CODIFICA_BROWSER } from './carico';
import { registerFeatures } from '../server/features';
import { loadDemoIfEmpty } from '../server/demo';
import { createApp } from '../server/app';
import { createUser, findUserByEmail } from '../server/auth/utenti';
import { createSession } from '../server/auth/sessioni';
import { SESSION_COOKIE, sign } from '../server/auth/cookies';

const OGGI = '2026-11-22';
const SEGRETO = 'segreto-del-benchmark-delle-pagine';

function arg(nome: string, def: string): string {
  const i = process.argv.indexOf(`--${nome}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

async function server(): Promise<void> {
  const engine = arg('db', 'postgres');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pagine-'));
  const schema = `bench_pagine_${process.pid}`;
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const db = engine === 'postgres' ? await openDb({ databaseUrl: url, schema }) : await openDb({ pgliteDir: path.join(dir, 'db') });
  await migrate(db);
  // An injected clock: sessions and "today" do not depend on when the benchmark runs.
  const base = fixedClock(OGGI);
  const ctx = { config: loadConfig({ DATA_DIR: dir, SESSION_SECRET: SEGRETO, LOG_LEVEL: 'silent' }), db, log: pino({ level: 'silent' }), clock: { now: () => base.now(), today: base.today } };
  await ensureNomenclature(ctx);
  registerFeatures();
  const t0 = Date.now();
  await loadDemoIfEmpty(ctx, () => undefined);
  const carico = Date.now() - t0;
  const cookie = async (email: string, extra: Parameters<typeof createUser>[1]) => {
    const u = (await findUserByEmail(db, email)) ?? (await createUser(db, { ...extra, email, password: 'password-del-benchmark' })).utente;
    const s = await createSession(db, u.id, ctx.clock.now());
    return `${SESSION_COOKIE}=${sign(s.id, SEGRETO)}`;
  };
  const cookies = { udp: await cookie('udp@bench.example', { email: '', ruolo: 'udp' }), comune: await cookie('comune@bench.example', { email: '', ruolo: 'comune', codice_istat: '098010' }) };
  const srv = http.createServer(createApp({ ctx }));
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, cookies, carico_demo_ms: carico, engine })}\n`);
  const stop = async () => {
    srv.closeAllConnections();
    srv.close();
    if (engine === 'postgres') await db.knex.raw('drop schema if exists ?? cascade', [schema]);
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

async function carica(): Promise<void> {
  const autocannon = (await import('autocannon')).default;
  const durata = Number(arg('durata', '20'));
  const connessioni = Number(arg('connessioni', '20'));
  const figlio = spawn(process.execPath, [...process.execArgv, __filename, '--server', ...process.argv.slice(2)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const riga = await new Promise<string>((resolve, reject) => {
    let buf = '';
    figlio.stdout!.on('data', (d) => {
      buf += d;
      const i = buf.indexOf('\n');
      if (i >= 0) resolve(buf.slice(0, i));
    });
    figlio.on('exit', (c) => reject(new Error(`server uscito con codice ${c}`)));
  });
  const info = JSON.parse(riga) as { url: string; cookies: Record<string, string>; carico_demo_ms: number; engine: string };
  console.error(`demo caricata in ${info.carico_demo_ms} ms (${info.engine}); server su ${info.url}`);
  const bersagli: [string, string, string][] = [
    ['scheda del comune (pagina)', '/comuni/098031?anno=2025', 'udp'],
    ['sportello (pagina)', '/sportello?anno=2025', 'udp'],
    ['scheda del comune (pagina, account di un comune)', '/comuni/098031?anno=2025', 'comune'],
    ['sportello (pagina, account di un comune)', '/sportello?anno=2025', 'comune'],
    ['scheda del comune (API)', '/api/comuni/098031?anno=2025', 'udp'],
    ['sportello (API)', '/api/sportello?anno=2025', 'udp'],
  ];
  for (const [nome, p, chi] of bersagli) {
    const t0 = performance.now();
    const headers = { cookie: info.cookies[chi], 'accept-encoding': CODIFICA_BROWSER };
    const r = await fetch(info.url + p, { headers });
    await r.text();
    const freddo = performance.now() - t0;
    if (r.status !== 200) throw new Error(`${p}: ${r.status}`);
    const tempi: number[] = [];
    const inst = autocannon({ url: info.url + p, connections: connessioni, duration: durata, headers });
    inst.on('response', (_c: unknown, _s: number, _b: number, t: number) => tempi.push(t));
    const res = await inst;
    console.log(
      JSON.stringify({
        pagina: nome,
        percorso: p,
        db: info.engine,
        connessioni,
        secondi: durata,
        richieste: res.requests.total,
        errori: res.errors + res.non2xx,
        richieste_al_secondo: Math.round(res.requests.average),
        mediana_ms: +percentile(tempi, 50).toFixed(1),
        p95_ms: +percentile(tempi, 95).toFixed(1),
        p99_ms: +percentile(tempi, 99).toFixed(1),
        prima_richiesta_ms: +freddo.toFixed(1),
      }),
    );
  }
  figlio.stdin!.end();
  await once(figlio, 'exit');
}

(process.argv.includes('--server') ? server() : carica()).catch((e) => {
  console.error(e);
  process.exit(1);
});
