/**
 * The app on a database, on 127.0.0.1, and readers signed in as accounts of each role: what
 * the disclosure audit reads through, exactly as a person's browser would.
 *
 * `serviInFiglio` runs the app in a child process (test/riservatezza/figlio.ts) rather than in
 * the test's own: jest runs a test file's modules in a vm context, where every lookup of a
 * global (Math, Number, Object, Map...) goes through the context's interceptors, about 100
 * times slower than in a plain process (a loop of Math.round: 13 s against 0.15 s on Node 20),
 * and the server's document building is full of them (on the demo data, round2 alone took a
 * quarter of the test file's CPU). The jest transform now binds those globals to locals in the
 * project's own modules (test/support/esbuild-transform.js), not in the libraries the app runs on
 * (express, knex, PGlite's JavaScript): a child runs all of it at a plain process's speed. The app,
 * the data and the requests are the same. The app in
 * the process that reads it (the command-line runners, and the child itself): servi.ts.
 */
import http from 'node:http';
import path from 'node:path';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { Lettore } from './audit';
import type { ComunePubblico } from './dichiarazioni';

export type Ruolo = 'udp' | 'operatore' | { comune: string };

export interface Servito {
  lettore(ruolo: Ruolo): Promise<Lettore>;
  comuni(): Promise<ComunePubblico[]>;
  chiudi(): Promise<void>;
}

/** GETs on the app at `base` with a session cookie, through one keep-alive agent. */
export function cliente(base: string) {
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
