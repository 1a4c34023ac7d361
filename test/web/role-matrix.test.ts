/**
 * The role matrix: every route of test/web/routes.ts, for every profile, against the real app
 * on a real database (both engines). Each response must also carry the strict CSP, and every
 * HTML page must be free of inline scripts and styles (which that CSP would block).
 */
import fs from 'node:fs';
import { describeDb, truncateAll } from '../support/db';
import { seedComuni } from '../support/fixtures';
import { createUser } from '../../server/auth/utenti';
import type { Utente } from '../../server/auth/tipi';
import { Browser, inlineViolations, Risposta, signedIn, startServer, testContext, TestServer } from '../auth/helpers';
import { scryptLeggero } from '../auth/scrypt-leggero';
import { ALTRO_COMUNE, COMUNE, Esito, OPERATORE, PROFILI, Profilo, ROUTES } from './routes';

function matches(r: Risposta, atteso: Esito): boolean {
  if (atteso === 'ok') return r.status === 200;
  if (atteso === 'login') return (r.status === 302 || r.status === 303) && (r.location ?? '').startsWith('/login');
  if (atteso === 'redirect') return r.status >= 300 && r.status < 400;
  return r.status === atteso;
}

// The accounts' passwords (and POST /password's check of the current one) at a low scrypt cost.
scryptLeggero();

describeDb('matrice dei ruoli', (get) => {
  let ctx: ReturnType<typeof testContext>;
  let server: TestServer;
  const utenti = {} as Record<Exclude<Profilo, 'anonimo'>, Utente>;

  beforeAll(async () => {
    const db = get();
    await truncateAll(db);
    await seedComuni(db);
    await db.knex('operatori').insert({ operatore_id: OPERATORE, nome: 'Anna', cognome: 'Bianchi', codice_istat: COMUNE, riga: 2 });
    ctx = testContext(db);
    const pw = 'password-dei-test-2026';
    utenti.udp = (await createUser(db, { email: 'udp@test.example', ruolo: 'udp', password: pw })).utente;
    utenti.comune = (await createUser(db, { email: 'comune@test.example', ruolo: 'comune', codice_istat: COMUNE, password: pw })).utente;
    utenti.altroComune = (await createUser(db, { email: 'altro@test.example', ruolo: 'comune', codice_istat: ALTRO_COMUNE, password: pw })).utente;
    utenti.operatore = (await createUser(db, { email: 'operatore@test.example', ruolo: 'operatore', operatore_id: OPERATORE, password: pw })).utente;
    server = await startServer(ctx);
  });

  afterAll(async () => {
    await server?.close();
    if (ctx) fs.rmSync(ctx.dataDir, { recursive: true, force: true });
  });

  test('the table covers each profile of each route', () => {
    expect(ROUTES.length).toBeGreaterThan(10);
    for (const r of ROUTES) for (const p of PROFILI) expect([r.path, p, r[p]]).toEqual([r.path, p, expect.anything()]);
  });

  test.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_name, route) => {
    const problems: string[] = [];
    for (const profilo of PROFILI) {
      // A fresh session per request: a row like POST /logout must not affect the next ones.
      const { browser, csrf } = profilo === 'anonimo' ? { browser: new Browser(server.url), csrf: '' } : await signedIn(ctx, server.url, utenti[profilo]);
      const form = route.method === 'POST' ? { ...route.form, ...(profilo === 'anonimo' ? {} : { _csrf: csrf }) } : undefined;
      const res = await browser.request(route.method, route.path, { form });
      const atteso = route[profilo];
      if (!matches(res, atteso)) problems.push(`${profilo}: atteso ${atteso}, ottenuto ${res.status}${res.location ? ` -> ${res.location}` : ''}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      if (!/script-src 'self'/.test(csp) || !/style-src 'self'/.test(csp) || /unsafe-inline/.test(csp)) problems.push(`${profilo}: CSP assente o debole: "${csp}"`);
      if ((res.headers.get('content-type') ?? '').startsWith('text/html')) {
        const inline = inlineViolations(res.text);
        if (inline.length) problems.push(`${profilo}: script o stili in linea: ${inline.join(' ')}`);
      }
      const want = route.contiene?.[profilo];
      if (want && !res.text.includes(want)) problems.push(`${profilo}: la risposta non contiene "${want}"`);
    }
    expect(problems).toEqual([]);
  });
});
