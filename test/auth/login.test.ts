/**
 * Login, sessions, CSRF, lock-out, enumeration, logout and password change, through the real
 * app on a real database (both engines), with an injected clock.
 */
import fs from 'node:fs';
import { describeDb, truncateAll } from '../support/db';
import { seedComuni } from '../support/fixtures';
import { createUser, disableUser } from '../../server/auth/utenti';
import { kdf, SCRYPT_PARAMS } from '../../server/auth/password';
import { BLOCCO_MS, IP_FINESTRA_MS, IP_MAX, MAX_TENTATIVI, MSG_CREDENZIALI } from '../../server/auth/service';
import { ABSOLUTE_MS, IDLE_MS } from '../../server/auth/sessioni';
import { bloccatoFino } from '../../server/auth/tentativi';
import { SESSION_COOKIE } from '../../server/auth/cookies';
import type { Database } from '../../server/db';
import { Browser, MutableClock, startServer, testContext, TestServer } from './helpers';
import { scryptLeggero } from './scrypt-leggero';

const PW = 'password-giusta-2026';
const MIN = 60_000;

async function auditRows(db: Database, azione: string) {
  return db.knex('audit').where({ azione }).orderBy('id');
}

/** The error shown by the login page, without the parts that legitimately differ (token, e-mail). */
function loginError(html: string): string | null {
  return html.match(/<div class="alert alert-danger" role="alert">([^<]*)<\/div>/)?.[1] ?? null;
}

// Logins here are about sessions, limits and forms: scrypt at a low cost (the callers' parameters
// are unchanged, the enumeration test still sees SCRYPT_PARAMS; password.test.ts runs the real one).
scryptLeggero();

describeDb('accesso e sessioni', (get) => {
  let ctx: ReturnType<typeof testContext>;
  let clock: MutableClock;
  let server: TestServer;

  beforeAll(async () => {
    await truncateAll(get());
    await seedComuni(get());
    ctx = testContext(get());
    clock = ctx.clock as MutableClock;
    await createUser(get(), { email: 'Mario.Rossi@Comune.Example', ruolo: 'comune', codice_istat: '098031', password: PW });
    await createUser(get(), { email: 'udp@test.example', ruolo: 'udp', password: PW });
    server = await startServer(ctx);
  });
  beforeEach(async () => {
    clock.set('2026-11-22T09:00:00Z');
    await get().knex('limiti_accesso').del();
    await get().knex('sessioni').del();
    await get().knex('audit').del();
  });
  afterAll(async () => {
    await server?.close();
    if (ctx) fs.rmSync(ctx.dataDir, { recursive: true, force: true });
  });

  test('an anonymous page request goes to /login?next=..., an API request gets 401 JSON; /salute stays public', async () => {
    const b = new Browser(server.url);
    const page = await b.get('/job?x=1');
    expect(page.status).toBe(302);
    expect(page.location).toBe('/login?next=%2Fjob%3Fx%3D1');
    const api = await b.get('/api/job');
    expect(api.status).toBe(401);
    expect(JSON.parse(api.text)).toEqual({ errore: expect.stringMatching(/Accesso richiesto/) });
    expect((await b.get('/salute')).status).toBe(200);
  });

  test('login through the form: e-mail case-insensitive, session cookie httpOnly + SameSite=Lax, back to "next", audited with the address', async () => {
    const b = new Browser(server.url, '10.1.1.1');
    const token = await b.csrf('/login');
    const res = await b.request('POST', '/login', { form: { _csrf: token, email: '  mario.rossi@comune.example ', password: PW, next: '/password' } });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/password');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // plain http BASE_URL
    expect(cookie).not.toMatch(/Max-Age|Expires/i); // dies with the browser
    const page = await b.get('/password');
    expect(page.status).toBe(200);
    expect(page.text).toContain('mario.rossi@comune.example');
    const [row] = await auditRows(get(), 'login');
    expect(row).toMatchObject({ email: 'mario.rossi@comune.example', ip: '10.1.1.1' });
    const u = await get().knex('utenti').where({ email: 'mario.rossi@comune.example' }).first();
    expect(new Date(u.ultimo_accesso).toISOString()).toBe('2026-11-22T09:00:00.000Z');
    // Signed in, /login sends back to the home page.
    expect((await b.get('/login')).location).toBe('/');
  });

  test('"next" never leads to another site', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example', '/\\evil.example', '/logout']) {
      const b = new Browser(server.url);
      const res = await b.login('udp@test.example', PW, next);
      expect([next, res.status, res.location]).toEqual([next, 303, '/']);
    }
  });

  test('the session cookie is Secure when BASE_URL is https', async () => {
    const c2 = { ...ctx, config: { ...ctx.config, baseUrl: 'https://cruscotto.example' } };
    const s2 = await startServer(c2);
    try {
      const b = new Browser(s2.url);
      const res = await b.login('udp@test.example', PW);
      expect(res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))).toMatch(/;\s*Secure/i);
      expect(res.headers.get('content-security-policy')).toMatch(/upgrade-insecure-requests/);
    } finally {
      await s2.close();
    }
  });

  describe('CSRF', () => {
    test('the login form is refused without its token, with a wrong one, or with another browser\'s', async () => {
      const a = new Browser(server.url);
      const other = new Browser(server.url);
      const otherToken = await other.csrf('/login');
      await a.csrf('/login'); // a has its own pre-session cookie
      for (const form of [{}, { _csrf: 'f'.repeat(64) }, { _csrf: otherToken }] as Record<string, string>[]) {
        const res = await a.post('/login', { ...form, email: 'udp@test.example', password: PW });
        expect(res.status).toBe(403);
        expect(res.text).toMatch(/Richiesta non valida/);
        expect(a.cookies.has(SESSION_COOKIE)).toBe(false);
      }
      expect(await get().knex('sessioni').count('* as n')).toEqual([{ n: 0 }]);
    });

    test('a signed-in form without the session token changes nothing; the X-CSRF-Token header is accepted', async () => {
      const a = new Browser(server.url);
      await a.login('udp@test.example', PW);
      const token = await a.csrf('/password');
      const before = (await get().knex('utenti').where({ email: 'udp@test.example' }).first()).password_hash;
      const noToken = await a.post('/password', { attuale: PW, nuova: 'una-nuova-password', conferma: 'una-nuova-password' });
      expect(noToken.status).toBe(403);
      const wrong = await a.post('/password', { _csrf: token.replace(/.$/, (c) => (c === '0' ? '1' : '0')), attuale: PW, nuova: 'una-nuova-password', conferma: 'una-nuova-password' });
      expect(wrong.status).toBe(403);
      expect((await get().knex('utenti').where({ email: 'udp@test.example' }).first()).password_hash).toBe(before);
      const noLogout = await a.post('/logout', {});
      expect(noLogout.status).toBe(403);
      expect((await a.get('/')).status).toBe(200); // still signed in
      const apiNoToken = await a.request('POST', '/logout', { json: {} });
      expect(apiNoToken.status).toBe(403);
      const header = await a.request('POST', '/logout', { json: {}, headers: { 'x-csrf-token': token } });
      expect(header.status).toBe(303);
      expect((await a.get('/')).status).toBe(302);
    });
  });

  test(`lock-out: after ${MAX_TENTATIVI} wrong passwords even the right one is refused, with the same message, for ${BLOCCO_MS / MIN} minutes`, async () => {
    const b = new Browser(server.url, '10.2.2.2');
    for (let i = 1; i <= MAX_TENTATIVI; i++) {
      const res = await b.login('udp@test.example', `sbagliata-${i}`);
      expect([i, res.status, loginError(res.text)]).toEqual([i, 422, MSG_CREDENZIALI]);
    }
    expect((await bloccatoFino(get().knex, 'udp@test.example', clock.now()))?.getTime()).toBe(clock.now().getTime() + BLOCCO_MS);
    const locked = await b.login('udp@test.example', PW);
    expect(locked.status).toBe(422);
    expect(loginError(locked.text)).toBe(MSG_CREDENZIALI);
    expect(b.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(await auditRows(get(), 'utente_bloccato')).toHaveLength(1);

    clock.advance(BLOCCO_MS - MIN);
    expect((await b.login('udp@test.example', PW)).status).toBe(422);
    clock.advance(2 * MIN);
    const ok = await b.login('udp@test.example', PW);
    expect(ok.status).toBe(303);
    expect(await get().knex('limiti_accesso').where({ chiave: 'account:udp@test.example' })).toEqual([]);
  });

  test('a success resets the count of wrong passwords', async () => {
    const b = new Browser(server.url, '10.3.3.3');
    for (let i = 0; i < MAX_TENTATIVI - 1; i++) await b.login('udp@test.example', 'sbagliata');
    expect((await b.login('udp@test.example', PW)).status).toBe(303);
    expect((await new Browser(server.url, '10.3.3.3').login('udp@test.example', 'sbagliata')).status).toBe(422);
    const row = await get().knex('limiti_accesso').where({ chiave: 'account:udp@test.example' }).first();
    expect([row.falliti, row.bloccato_fino]).toEqual([1, null]);
  });

  test(`per-address limit: ${IP_MAX} failures in ${IP_FINESTRA_MS / MIN} minutes from one address stop further attempts from it only`, async () => {
    const ip = '10.9.9.9';
    // IP_MAX - 1 earlier failures of this address in the window, then one real one.
    await get().knex('limiti_accesso').insert({ chiave: `indirizzo:${ip}`, conteggio: IP_MAX - 1, dal: new Date(clock.now().getTime() - 5 * MIN) });
    const b = new Browser(server.url, ip);
    expect((await b.login('nessuno@nessuno.example', 'x')).status).toBe(422);
    const limited = await b.login('udp@test.example', PW);
    expect(limited.status).toBe(429);
    expect(loginError(limited.text)).toMatch(/Troppi tentativi/);
    expect((await new Browser(server.url, '10.9.9.10').login('udp@test.example', PW)).status).toBe(303);
    clock.advance(IP_FINESTRA_MS - 5 * MIN);
    expect((await b.login('udp@test.example', PW)).status).toBe(303);
  });

  test('no account enumeration: unknown e-mail, wrong password and disabled account get the same answer, and each runs scrypt once with the same parameters', async () => {
    await createUser(get(), { email: 'spento@test.example', ruolo: 'udp', password: PW });
    await disableUser(get(), 'spento@test.example');
    const spy = jest.spyOn(kdf, 'derive');
    try {
      const answers: { status: number; error: string | null; calls: unknown[] }[] = [];
      for (const [email, pw] of [['nessuno@test.example', PW], ['udp@test.example', 'sbagliata'], ['spento@test.example', PW]]) {
        const b = new Browser(server.url, '10.4.4.4');
        const token = await b.csrf('/login');
        spy.mockClear();
        const res = await b.post('/login', { _csrf: token, email, password: pw });
        answers.push({ status: res.status, error: loginError(res.text), calls: spy.mock.calls.map((c) => c[2]) });
      }
      expect(answers).toEqual([
        { status: 422, error: MSG_CREDENZIALI, calls: [SCRYPT_PARAMS] },
        { status: 422, error: MSG_CREDENZIALI, calls: [SCRYPT_PARAMS] },
        { status: 422, error: MSG_CREDENZIALI, calls: [SCRYPT_PARAMS] },
      ]);
    } finally {
      spy.mockRestore();
    }
    const motivi = (await auditRows(get(), 'login_fallito')).map((r) => r.dettagli.motivo);
    expect(motivi).toEqual(['account_sconosciuto', 'password_errata', 'account_disattivato']);
  });

  test(`session expiry: ${IDLE_MS / MIN} minutes idle end it, activity keeps it alive up to ${ABSOLUTE_MS / 3_600_000} hours`, async () => {
    const b = new Browser(server.url);
    await b.login('udp@test.example', PW);
    clock.advance(IDLE_MS - MIN);
    expect((await b.get('/')).status).toBe(200);
    clock.advance(IDLE_MS - MIN); // idle time counts from the last request
    expect((await b.get('/')).status).toBe(200);
    clock.advance(IDLE_MS);
    const expired = await b.get('/job');
    expect(expired.status).toBe(302);
    expect(expired.location).toBe('/login?next=%2Fjob&scaduta=1');
    expect((await b.get(expired.location!)).text).toMatch(/sessione è scaduta/);
    expect(await get().knex('sessioni').count('* as n')).toEqual([{ n: 0 }]);

    const c = new Browser(server.url);
    await c.login('udp@test.example', PW);
    const start = clock.now().getTime();
    while (clock.now().getTime() + 20 * MIN < start + ABSOLUTE_MS) {
      clock.advance(20 * MIN);
      expect((await c.get('/')).status).toBe(200);
    }
    clock.advance(20 * MIN);
    expect((await c.get('/')).status).toBe(302);
  });

  test('logout ends the session (server side too) and is audited', async () => {
    const b = new Browser(server.url);
    await b.login('udp@test.example', PW);
    const stolen = b.cookies.get(SESSION_COOKIE)!;
    const token = await b.csrf('/');
    const out = await b.post('/logout', { _csrf: token });
    expect([out.status, out.location]).toEqual([303, '/login?uscito=1']);
    expect(b.cookies.has(SESSION_COOKIE)).toBe(false);
    const replay = new Browser(server.url);
    replay.cookies.set(SESSION_COOKIE, stolen);
    expect((await replay.get('/')).status).toBe(302);
    expect(await auditRows(get(), 'logout')).toHaveLength(1);
  });

  test('a forged or tampered session cookie is ignored', async () => {
    const b = new Browser(server.url);
    await b.login('udp@test.example', PW);
    const [id, sig] = b.cookies.get(SESSION_COOKIE)!.split('.');
    const tampered = new Browser(server.url);
    tampered.cookies.set(SESSION_COOKIE, `${id}.${sig.slice(0, -2)}AA`);
    expect((await tampered.get('/')).status).toBe(302);
    const unsigned = new Browser(server.url);
    unsigned.cookies.set(SESSION_COOKIE, id);
    expect((await unsigned.get('/')).status).toBe(302);
  });

  test('password change: checks the current one, ends the other sessions, keeps this one under a new id', async () => {
    await createUser(get(), { email: 'cambio@test.example', ruolo: 'udp', password: PW });
    const a = new Browser(server.url);
    const other = new Browser(server.url);
    await a.login('cambio@test.example', PW);
    await other.login('cambio@test.example', PW);
    const oldCookie = a.cookies.get(SESSION_COOKIE);
    let token = await a.csrf('/password');
    const wrong = await a.post('/password', { _csrf: token, attuale: 'non è questa', nuova: 'frase nuova e lunga', conferma: 'frase nuova e lunga' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toMatch(/attuale non è corretta/);
    const mismatch = await a.post('/password', { _csrf: token, attuale: PW, nuova: 'frase nuova e lunga', conferma: 'frase diversa e lunga' });
    expect(mismatch.text).toMatch(/non coincidono/);
    const short = await a.post('/password', { _csrf: token, attuale: PW, nuova: 'corta', conferma: 'corta' });
    expect(short.text).toMatch(/almeno 10/);
    const ok = await a.post('/password', { _csrf: token, attuale: PW, nuova: 'frase nuova e lunga', conferma: 'frase nuova e lunga' });
    expect(ok.status).toBe(200);
    expect(ok.text).toMatch(/Password cambiata/);
    expect(a.cookies.get(SESSION_COOKIE)).not.toBe(oldCookie);
    expect((await a.get('/')).status).toBe(200);
    expect((await other.get('/')).status).toBe(302);
    token = await a.csrf('/password');
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect((await new Browser(server.url).login('cambio@test.example', PW)).status).toBe(422);
    expect((await new Browser(server.url).login('cambio@test.example', 'frase nuova e lunga')).status).toBe(303);
    expect(await auditRows(get(), 'password_cambiata')).toHaveLength(1);
  });

  test('disabling an account ends its sessions at once', async () => {
    await createUser(get(), { email: 'via@test.example', ruolo: 'udp', password: PW });
    const b = new Browser(server.url);
    await b.login('via@test.example', PW);
    expect((await b.get('/')).status).toBe(200);
    await disableUser(get(), 'via@test.example');
    expect((await b.get('/')).status).toBe(302);
  });

  test('forbidden: 403 page for a page, 403 JSON under /api/', async () => {
    const b = new Browser(server.url);
    await b.login('mario.rossi@comune.example', PW);
    const page = await b.get('/audit');
    expect(page.status).toBe(403);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.text).toMatch(/Accesso negato/);
    const api = await b.get('/api/audit');
    expect(api.status).toBe(403);
    expect(JSON.parse(api.text).errore).toMatch(/Accesso negato/);
  });
});
