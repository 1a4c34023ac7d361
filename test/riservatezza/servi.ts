/**
 * The app served in this process (figlio.ts, and the command-line runners, which do not run in
 * jest's vm): a new account of each role signed in, its session cookie. Kept apart from
 * ambiente.ts so that a test file loads the app only in its child process.
 */
import http from 'node:http';
import { once } from 'node:events';
import type { AppContext } from '../../server/context';
import { createApp } from '../../server/app';
import { SESSION_COOKIE, sign } from '../../server/auth/cookies';
import { createSession } from '../../server/auth/sessioni';
import { createUser } from '../../server/auth/utenti';
import type { ComunePubblico } from './dichiarazioni';
import { cliente, Ruolo, Servito } from './ambiente';

let n = 0;

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

