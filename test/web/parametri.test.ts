/**
 * Every documented query parameter of every page refuses a value it does not know with a 400
 * that says what is allowed, instead of ignoring it (issue 18): the operational pages here
 * (scadenze, posta, job, registro, notifiche); the cruscotto's filters in test/cruscotto/web.
 */
import { describeDb, truncateAll } from '../support/db';
import { seedComuni } from '../support/fixtures';
import { createUser } from '../../server/auth/utenti';
import { signedIn, startServer, testContext, TestServer } from '../auth/helpers';
import type { Utente } from '../../server/auth/tipi';

describeDb('parametri sconosciuti', (get) => {
  let server: TestServer;
  let udp: Utente;
  let ctx: ReturnType<typeof testContext>;

  beforeAll(async () => {
    await truncateAll(get());
    await seedComuni(get());
    ctx = testContext(get());
    udp = (await createUser(get(), { email: 'udp@test.example', ruolo: 'udp', password: 'password-dei-test' })).utente;
    server = await startServer(ctx);
  });
  afterAll(async () => server?.close());

  test.each([
    ['/scadenze?stato=boh', 'stato'],
    ['/scadenze?tipo=boh', 'tipo'],
    ['/scadenze?vista=boh', 'vista'],
    ['/scadenze?comune=lodi', 'comune'],
    ['/api/scadenze?formato=xls', 'formato'],
    ['/posta?stato=boh', 'stato'],
    ['/posta?tipo=boh', 'tipo'],
    ['/posta?esito=boh', 'esito'],
    ['/api/posta?formato=xls', 'formato'],
    ['/audit?azione=boh', 'azione'],
    ['/audit?pagina=0', 'pagina'],
    ['/audit?pagina=due', 'pagina'],
    ['/api/audit?formato=xls', 'formato'],
    ['/api/job?formato=xls', 'formato'],
    ['/notifiche?tipo=boh', null],
    ['/api/notifiche?formato=xls', 'formato'],
  ])('%s → 400', async (path, nome) => {
    const { browser } = await signedIn(ctx, server.url, udp);
    const r = await browser.get(path);
    expect(r.status).toBe(400);
    if (nome) {
      const messaggio = path.startsWith('/api/') ? JSON.parse(r.text).errore : r.text;
      expect(messaggio).toContain(`Parametro non valido: «${nome}»`);
    }
  });

  test('i valori ammessi e quelli vuoti (un «tutti» del modulo) restano validi', async () => {
    const { browser } = await signedIn(ctx, server.url, udp);
    for (const p of ['/scadenze?stato=&tipo=&vista=tutte', '/posta?stato=&tipo=', '/audit?azione=&pagina=1', '/api/job?formato=csv', '/api/audit?formato=csv']) expect([p, (await browser.get(p)).status]).toEqual([p, 200]);
  });
});
