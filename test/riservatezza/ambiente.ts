/**
 * The app on a database, on 127.0.0.1, and readers signed in as accounts of each role: what
 * the disclosure audit reads through, exactly as a person's browser would.
 */
import http from 'node:http';
import { once } from 'node:events';
import type { AppContext } from '../../server/context';
import { createApp } from '../../server/app';
import { SESSION_COOKIE, sign } from '../../server/auth/cookies';
import { createSession } from '../../server/auth/sessioni';
import { createUser } from '../../server/auth/utenti';
import type { Lettore } from './audit';
import type { ComunePubblico } from './dichiarazioni';

export interface Servito {
  lettore(ruolo: 'udp' | 'operatore' | { comune: string }): Promise<Lettore>;
  comuni(): Promise<ComunePubblico[]>;
  chiudi(): Promise<void>;
}

let n = 0;

export async function servi(ctx: AppContext): Promise<Servito> {
  const server = http.createServer(createApp({ ctx }));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const get = (cookie: string) => (p: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.get(base + p, { agent, headers: { cookie } }, (res) => {
        const parti: Buffer[] = [];
        res.on('data', (c: Buffer) => parti.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parti).toString('utf8') }));
      });
      req.on('error', reject);
    });
  return {
    async lettore(ruolo) {
      const email = `verifica-${process.pid}-${++n}@test.example`;
      const u = (
        await createUser(ctx.db, {
          email,
          password: 'password-della-verifica',
          ...(ruolo === 'udp' ? { ruolo: 'udp' } : ruolo === 'operatore' ? { ruolo: 'operatore', operatore_id: 'VERIFICA' } : { ruolo: 'comune', codice_istat: ruolo.comune }),
        } as never)
      ).utente;
      const s = await createSession(ctx.db, u.id, ctx.clock.now());
      return { get: get(`${SESSION_COOKIE}=${sign(s.id, ctx.config.sessionSecret!)}`) };
    },
    async comuni() {
      return (await ctx.db.knex.raw(`select codice_istat, nome, cluster_popolazione(popolazione) as cluster, distretto from comuni where attivo order by nome, codice_istat`)).rows;
    },
    async chiudi() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
