/**
 * Times the breakdowns page (/analisi/ripartizioni, docs/analisi.md "Ripartizioni") on a
 * database that keeps the loaded data set between runs, without the full benchmark. URL: a
 * PostgreSQL URL, or pglite:DIR for an embedded database in DIR.
 *
 *   node --require ./bin/tsx-register.js bench/ripartizioni.ts carica URL [SCALA]
 *     migrates URL and runs the nightly cycle of bench/ciclo.ts on the cached data set of SCALA
 *     (regione by default; generate it first with bench/dataset.ts);
 *   node --require ./bin/tsx-register.js bench/ripartizioni.ts misura URL [--fatti] PATH...
 *     migrates URL (--fatti: then computes the facts), starts the app in this process and asks
 *     each PATH once cold (a new process: nothing cached) and 20 times warm, one at a time, as
 *     the office's account; prints the times in ms.
 */
import http from 'node:http';
import os from 'node:os';
import { once } from 'node:events';
import pino from 'pino';
import { loadConfig } from '../server/config';
import { AppContext, ensureNomenclature, fixedClock } from '../server/context';
import { migrate, openDb } from '../server/db';
import { createApp } from '../server/app';
import { createUser } from '../server/auth/utenti';
import { createSession } from '../server/auth/sessioni';
import { SESSION_COOKIE, sign } from '../server/auth/cookies';
import { calcolaFatti } from '../server/fatti/calcola';
import { cicloNotturno } from './ciclo';
import { datasetDir, isCached } from './dataset';

const OGGI = '2026-11-22';
const SEGRETO = 'segreto-del-benchmark-delle-ripartizioni';

async function get(url: string, cookie: string): Promise<{ ms: number; status: number; bytes: number }> {
  const t = process.hrtime.bigint();
  const r = await fetch(url, { headers: { cookie } });
  const body = await r.arrayBuffer();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, status: r.status, bytes: body.byteLength };
}

async function main(): Promise<void> {
  const [modo, url, ...resto] = process.argv.slice(2);
  if ((modo !== 'carica' && modo !== 'misura') || !url) throw new Error('uso: carica URL [SCALA] | misura URL [--fatti] PATH...');
  const db = url.startsWith('pglite:') ? await openDb({ pgliteDir: url.slice('pglite:'.length) }) : await openDb({ databaseUrl: url });
  await migrate(db);
  const ctx: AppContext = { config: loadConfig({ DATA_DIR: os.tmpdir(), SESSION_SECRET: SEGRETO, LOG_LEVEL: 'silent' }), db, log: pino({ level: 'silent' }), clock: fixedClock(OGGI) };
  try {
    if (modo === 'carica') {
      const dir = datasetDir(resto[0] ?? 'regione', 2020, OGGI);
      if (!isCached(dir)) throw new Error(`data set assente: ${dir}`);
      await ensureNomenclature(ctx);
      for (const p of await cicloNotturno(ctx, dir, OGGI)) console.log(`${p.passo}\t${p.secondi} s\tload ${p.loadavg_1m}`);
      return;
    }
    if (resto[0] === '--fatti') {
      resto.shift();
      const f = await calcolaFatti(db, OGGI);
      console.log(`fatti: ${f.secondi.toFixed(1)} s, ${JSON.stringify(f.passi)}`);
    }
    const email = 'udp@ripartizioni.example';
    const u = (await db.knex('utenti').where({ email }).first('id')) as { id: number } | undefined;
    const id = u?.id ?? (await createUser(db, { email, ruolo: 'udp', password: 'password-del-benchmark' })).utente.id;
    const s = await createSession(db, id, ctx.clock.now());
    const cookie = `${SESSION_COOKIE}=${sign(s.id, SEGRETO)}`;
    const srv = http.createServer(createApp({ ctx }));
    srv.listen(0, '127.0.0.1');
    await once(srv, 'listening');
    const base = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
    for (const p of resto) {
      const freddo = await get(base + p, cookie);
      const caldi: number[] = [];
      for (let i = 0; i < 20; i++) caldi.push((await get(base + p, cookie)).ms);
      caldi.sort((a, b) => a - b);
      console.log(`${p}\tstatus ${freddo.status}\t${freddo.bytes} B\tprima ${freddo.ms.toFixed(0)} ms\tpoi p50 ${caldi[9].toFixed(1)} ms p95 ${caldi[18].toFixed(1)} ms\tload ${os.loadavg()[0].toFixed(2)}`);
    }
    srv.closeAllConnections();
    srv.close();
  } finally {
    await db.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
