/**
 * The app on a database, on 127.0.0.1, and readers signed in as accounts of each role: what
 * the disclosure audit reads through, exactly as a person's browser would.
 *
 * `serviInFiglio` runs the app in a child process (test/riservatezza/figlio.ts) rather than in
 * the test's own: jest runs a test file's modules in a vm context, where every lookup of a
 * global (Math, Number, Object, Map...) goes through the context's interceptors, about 100
 * times slower than in a plain process (a loop of Math.round: 13 s against 0.15 s on Node 20),
 * and the server's document building is full of them (on the demo data, round2 alone took a
 * quarter of the test file's CPU). The app, the data and the requests are the same.
 */
import http from 'node:http';
import path from 'node:path';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { AppContext } from '../../server/context';
import { createApp } from '../../server/app';
import { SESSION_COOKIE, sign } from '../../server/auth/cookies';
import { createSession } from '../../server/auth/sessioni';
import { createUser } from '../../server/auth/utenti';
import type { Lettore } from './audit';
import type { ComunePubblico } from './dichiarazioni';

export type Ruolo = 'udp' | 'operatore' | { comune: string };

export interface Servito {
  lettore(ruolo: Ruolo): Promise<Lettore>;
  comuni(): Promise<ComunePubblico[]>;
  chiudi(): Promise<void>;
}

let n = 0;

/** GETs on the app at `base` with a session cookie, through one keep-alive agent. */
function cliente(base: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  return {
    lettore: (cookie: string): Lettore => ({
      get: (p: string) =>
        new Promise<{ status: number; text: string }>((resolve, reject) => {
          const req = http.get(base + p, { agent, headers: { cookie } }, (res) => {
            const parti: Buffer[] = [];
            res.on('data', (c: Buffer) => parti.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parti).toString('utf8') }));
          });
          req.on('error', reject);
        }),
    }),
    chiudi: () => agent.destroy(),
  };
}

/** A new account of the role, signed in: its session cookie. */
async function cookieDi(ctx: AppContext, ruolo: Ruolo): Promise<string> {
  const email = `verifica-${process.pid}-${++n}@test.example`;
  const u = (
    await createUser(ctx.db, {
      email,
      password: 'password-della-verifica',
      ...(ruolo === 'udp' ? { ruolo: 'udp' } : ruolo === 'operatore' ? { ruolo: 'operatore', operatore_id: 'VERIFICA' } : { ruolo: 'comune', codice_istat: ruolo.comune }),
    } as never)
  ).utente;
  const s = await createSession(ctx.db, u.id, ctx.clock.now());
  return `${SESSION_COOKIE}=${sign(s.id, ctx.config.sessionSecret!)}`;
}

async function comuniDi(ctx: AppContext): Promise<ComunePubblico[]> {
  return (await ctx.db.knex.raw(`select codice_istat, nome, cluster_popolazione(popolazione) as cluster, distretto from comuni where attivo order by nome, codice_istat`)).rows;
}

/** The app served in this process; also what figlio.ts runs. */
export async function servi(ctx: AppContext): Promise<Servito & { base: string; cookie(ruolo: Ruolo): Promise<string> }> {
  const server = http.createServer(createApp({ ctx }));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const c = cliente(base);
  return {
    base,
    cookie: (ruolo) => cookieDi(ctx, ruolo),
    lettore: async (ruolo) => c.lettore(await cookieDi(ctx, ruolo)),
    comuni: () => comuniDi(ctx),
    async chiudi() {
      c.chiudi();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** What the child serves: the demo data set, or a randomized ambito (casuale.ts) of a seed. */
export type Dati = { demo: true } | { seme: number };

/** The app served by a child process on the given data (see the top of this file: why). */
export async function serviInFiglio(dati: Dati): Promise<Servito & { oggi: string }> {
  const radice = path.resolve(__dirname, '..', '..');
  const figlio = fork(path.join(__dirname, 'figlio.ts'), ['demo' in dati ? 'demo' : String(dati.seme)], {
    cwd: radice,
    // PGlite first, then tsx (as bin/tsx-register.js, without its --no-liftoff: that saves memory
    // in long-lived processes, at 1.5 s more to open the database).
    execArgv: ['--require', '@electric-sql/pglite', '--require', 'tsx/cjs'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let id = 0;
  const attese = new Map<number, { resolve: (x: unknown) => void; reject: (e: Error) => void }>();
  let pronto!: (x: { base: string; oggi: string }) => void;
  let fallito!: (e: Error) => void;
  const avvio = new Promise<{ base: string; oggi: string }>((res, rej) => ((pronto = res), (fallito = rej)));
  const uscita = once(figlio, 'exit');
  figlio.on('message', (m: { pronto?: { base: string; oggi: string }; id?: number; ok?: unknown; errore?: string }) => {
    if (m.pronto) return pronto(m.pronto);
    const a = attese.get(m.id!);
    attese.delete(m.id!);
    if (m.errore !== undefined) a?.reject(new Error(m.errore));
    else a?.resolve(m.ok);
  });
  figlio.on('exit', (code) => {
    const e = new Error(`il processo dell'app è uscito (codice ${code})`);
    fallito(e);
    for (const a of attese.values()) a.reject(e);
    attese.clear();
  });
  const chiedi = <T>(op: string, arg?: unknown) =>
    new Promise<T>((resolve, reject) => {
      const k = ++id;
      attese.set(k, { resolve: resolve as (x: unknown) => void, reject });
      figlio.send({ id: k, op, arg });
    });
  const { base, oggi } = await avvio;
  const c = cliente(base);
  return {
    oggi,
    lettore: async (ruolo) => c.lettore(await chiedi<string>('cookie', ruolo)),
    comuni: () => chiedi<ComunePubblico[]>('comuni'),
    async chiudi() {
      c.chiudi();
      if (figlio.exitCode === null) {
        await chiedi('chiudi').catch(() => undefined);
        const t = setTimeout(() => figlio.kill('SIGKILL'), 30_000);
        await uscita;
        clearTimeout(t);
      }
    },
  };
}
