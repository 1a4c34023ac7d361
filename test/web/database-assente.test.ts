/**
 * The database away (stopped, restarting, unreachable): every page answers 503 with a message
 * and a Retry-After, the JSON API too; when it is back, the same server answers again.
 */
import knexFactory from 'knex';
import { describeDb } from '../support/db';
import { signedIn, startServer, testContext, TestServer } from '../auth/helpers';
import { createUser } from '../../server/auth/utenti';
import type { AppContext } from '../../server/context';

describeDb('web server without its database', (get) => {
  let ctx: AppContext;
  let server: TestServer;
  beforeAll(async () => {
    ctx = testContext(get());
    server = await startServer(ctx);
  });
  afterAll(async () => server?.close());

  test('503 with a message while it is away, 200 again when it is back', async () => {
    const udp = (await createUser(get(), { email: 'udp-assente@test.example', ruolo: 'udp', password: 'password-dei-test' })).utente;
    const { browser } = await signedIn(ctx, server.url, udp);
    expect((await browser.get('/')).status).toBe(200);

    // Nothing listens on port 1: every query is refused, as with a database that is down.
    const quiet = { warn: () => undefined, error: () => undefined, debug: () => undefined, deprecate: () => undefined };
    const away = knexFactory({ client: 'pg', connection: 'postgres://postgres@127.0.0.1:1/x', pool: { min: 0, max: 1 }, acquireConnectionTimeout: 5000, log: quiet });
    const db = ctx.db;
    ctx.db = { ...db, knex: away };
    try {
      const page = await browser.get('/');
      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).toBe('60');
      expect(page.text).toContain('Il database non è raggiungibile in questo momento (riavvio o manutenzione): riprovare tra qualche minuto.');
      const api = await browser.get('/api/panoramica');
      expect(api.status).toBe(503);
      expect(JSON.parse(api.text)).toEqual({ errore: 'Il database non è raggiungibile in questo momento (riavvio o manutenzione): riprovare tra qualche minuto.' });
    } finally {
      ctx.db = db;
      await away.destroy();
    }
    expect((await browser.get('/')).status).toBe(200);
  });
});
