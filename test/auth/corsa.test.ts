/**
 * Logins in parallel (issue 15): the limits per e-mail and per address are checked and raised
 * in the database before the password hash, so a burst cannot get past them; and the request
 * limiter in front of /login holds across two instances on one database. Real app, real
 * database (both engines); scrypt at a low cost (scrypt-leggero.ts): what is checked is which
 * attempts reach the hash, not how long it takes, and the test of the attempts in flight holds
 * them at a gate of its own.
 */
import fs from 'node:fs';
import crypto from 'node:crypto';
import { describeDb, truncateAll } from '../support/db';
import { seedComuni } from '../support/fixtures';
import { createUser } from '../../server/auth/utenti';
import { dummyHash, kdf } from '../../server/auth/password';
import { BLOCCO_MS, IP_MAX, MAX_TENTATIVI, MSG_CREDENZIALI, MSG_TROPPI_IP } from '../../server/auth/service';
import { bloccatoFino } from '../../server/auth/tentativi';
import { SESSION_COOKIE } from '../../server/auth/cookies';
import { openDb } from '../../server/db';
import { Browser, MutableClock, startServer, testContext, TestServer } from './helpers';
import { scryptLeggero } from './scrypt-leggero';

const PW = 'password-giusta-2026';
const EMAIL = 'udp@test.example';

function loginError(html: string): string | null {
  return html.match(/<div class="alert alert-danger" role="alert">([^<]*)<\/div>/)?.[1] ?? null;
}

/** Waits until `cond` holds (a bound against a hang, not a speed requirement). */
async function finche(cond: () => boolean, what: string): Promise<void> {
  const until = Date.now() + 60_000;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`attesa scaduta: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** `n` browsers, each with its own address and the login form's token, ready to post at once. */
async function browsers(url: string, n: number, ip: (i: number) => string): Promise<{ b: Browser; token: string }[]> {
  return Promise.all(Array.from({ length: n }, async (_, i) => {
    const b = new Browser(url, ip(i));
    return { b, token: await b.csrf('/login') };
  }));
}

scryptLeggero();

describeDb('accesso: tentativi in parallelo', (get, engine) => {
  let ctx: ReturnType<typeof testContext>;
  let clock: MutableClock;
  let server: TestServer;

  beforeAll(async () => {
    await truncateAll(get());
    await seedComuni(get());
    ctx = testContext(get());
    clock = ctx.clock as MutableClock;
    await createUser(get(), { email: EMAIL, ruolo: 'udp', password: PW });
    server = await startServer(ctx);
    await dummyHash();
  });
  beforeEach(async () => {
    clock.set('2026-11-22T09:00:00Z');
    await get().knex('limiti_accesso').del();
    await get().knex('audit').del();
    await get().knex('sessioni').del();
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await server?.close();
    if (ctx) fs.rmSync(ctx.dataDir, { recursive: true, force: true });
  });

  const motivi = async () => (await get().knex('audit').where({ azione: 'login_fallito' })).map((r) => r.dettagli.motivo as string).sort();

  test('40 logins at once on one account, the right password last: it is refused and the account is locked', async () => {
    const hashed = jest.spyOn(kdf, 'derive');
    // Forty addresses, so only the per-account limit stands between the burst and the account.
    const all = await browsers(server.url, 40, (i) => `10.40.${i}.1`);
    const answers = await Promise.all(all.map(({ b, token }, i) => b.post('/login', { _csrf: token, email: EMAIL, password: i === 39 ? PW : `sbagliata-${i}` })));

    const right = answers[39];
    expect([right.status, loginError(right.text)]).toEqual([422, MSG_CREDENZIALI]);
    expect(all[39].b.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(422));
    // Only MAX_TENTATIVI attempts reached the hash; the other 35 were refused before it.
    expect(hashed).toHaveBeenCalledTimes(MAX_TENTATIVI);
    expect(await motivi()).toEqual([...Array(35).fill('account_bloccato'), ...Array(MAX_TENTATIVI).fill('password_errata')]);
    expect(await get().knex('audit').where({ azione: 'utente_bloccato' })).toHaveLength(1);
    expect(await get().knex('audit').where({ azione: 'login' })).toHaveLength(0);
    expect((await bloccatoFino(get().knex, EMAIL, clock.now()))?.getTime()).toBe(clock.now().getTime() + BLOCCO_MS);

    // Locked: the right password is refused until the lock ends.
    expect((await new Browser(server.url, '10.41.0.1').login(EMAIL, PW)).status).toBe(422);
    clock.advance(BLOCCO_MS);
    expect((await new Browser(server.url, '10.41.0.2').login(EMAIL, PW)).status).toBe(303);
  });

  test('the attempts still being hashed count: while five wrong passwords are checked, the right one is refused', async () => {
    // The hash of every attempt that gets through waits here until the test opens the gate:
    // the five wrong passwords are all "in flight" when the right one arrives.
    const derive = kdf.derive.bind(kdf);
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let held = 0;
    const hashed = jest.spyOn(kdf, 'derive').mockImplementation(async (...a) => {
      held++;
      await gate;
      return derive(...a);
    });
    const all = await browsers(server.url, 40, (i) => `10.42.${i}.1`);
    let answered = 0;
    const wrong = all.slice(0, 39).map(({ b, token }, i) => b.post('/login', { _csrf: token, email: EMAIL, password: `sbagliata-${i}` }).finally(() => answered++));
    try {
      await finche(() => held === MAX_TENTATIVI && answered === 39 - MAX_TENTATIVI, 'cinque tentativi in verifica e gli altri respinti');
      expect(await bloccatoFino(get().knex, EMAIL, clock.now())).toBeNull(); // not locked yet: no failure recorded

      const right = await all[39].b.post('/login', { _csrf: all[39].token, email: EMAIL, password: PW });
      expect([right.status, loginError(right.text)]).toEqual([422, MSG_CREDENZIALI]);
      expect(held).toBe(MAX_TENTATIVI); // the right password was never hashed
      expect(answered).toBe(39 - MAX_TENTATIVI); // and the five are still in flight
    } finally {
      open();
    }
    expect((await Promise.all(wrong)).map((a) => a.status)).toEqual(Array(39).fill(422));
    expect(hashed).toHaveBeenCalledTimes(MAX_TENTATIVI);
    expect(await bloccatoFino(get().knex, EMAIL, clock.now())).not.toBeNull();
    expect(await get().knex('audit').where({ azione: 'login' })).toHaveLength(0);
  });

  test(`one address, 30 logins at once on 30 e-mails: ${IP_MAX} reach the hash, the others get 429`, async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    // Unknown e-mails all fail anyway: the hash is replaced by a wait and a random key.
    const hashed = jest.spyOn(kdf, 'derive').mockImplementation(async () => {
      await gate;
      return crypto.randomBytes(32);
    });
    const all = await browsers(server.url, 30, () => '10.43.0.1');
    let answered = 0;
    const pending = all.map(({ b, token }, i) => b.post('/login', { _csrf: token, email: `nessuno${i}@test.example`, password: 'x' }).finally(() => answered++));
    try {
      await finche(() => hashed.mock.calls.length === IP_MAX && answered === 30 - IP_MAX, `${IP_MAX} tentativi in verifica e gli altri respinti`);
    } finally {
      open();
    }
    const answers = await Promise.all(pending);
    expect(answers.filter((a) => a.status === 422)).toHaveLength(IP_MAX);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(30 - IP_MAX);
    expect(loginError(refused[0].text)).toBe(MSG_TROPPI_IP);
    expect(hashed).toHaveBeenCalledTimes(IP_MAX);
    expect((await motivi()).filter((m) => m === 'limite_indirizzo')).toHaveLength(30 - IP_MAX);
  });

  test('/password: wrong current passwords draw on the same count and lock the account', async () => {
    const b = new Browser(server.url, '10.44.0.1');
    expect((await b.login(EMAIL, PW)).status).toBe(303);
    const token = await b.csrf('/password');
    const change = (attuale: string) => b.post('/password', { _csrf: token, attuale, nuova: 'frase nuova e lunga', conferma: 'frase nuova e lunga' });
    for (let i = 1; i <= MAX_TENTATIVI; i++) expect((await change(`sbagliata-${i}`)).text).toMatch(/attuale non è corretta/);
    expect(await bloccatoFino(get().knex, EMAIL, clock.now())).not.toBeNull();
    const locked = await change(PW);
    expect(locked.status).toBe(422);
    expect(locked.text).toMatch(/Troppi tentativi/);
    expect((await new Browser(server.url, '10.44.0.2').login(EMAIL, PW)).status).toBe(422);
    expect(await get().knex('audit').where({ azione: 'utente_bloccato' })).toHaveLength(1);
  });

  test('the request limiter in front of /login holds across two instances on one database', async () => {
    // A second application with LIMITE_RICHIESTE=6; on PostgreSQL with its own connection pool,
    // as a second server would have (PGlite is single-process: it shares the database).
    const other = engine === 'postgres' ? await openDb({ databaseUrl: process.env.TEST_DATABASE_URL!, schema: get().schema, poolMax: 2 }) : null;
    const env = { LIMITE_RICHIESTE: '6' };
    const a = await startServer({ ...testContext(get(), { env, clock }), clock });
    const c2 = testContext(other ?? get(), { env, clock });
    const b2 = await startServer({ ...c2, clock });
    try {
      const ip = '10.45.0.1';
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const b = new Browser(i % 2 ? b2.url : a.url, ip);
        const token = await b.csrf('/login');
        const res = await b.post('/login', { _csrf: token, email: `nessuno${i}@test.example`, password: 'x' });
        statuses.push(res.status);
        if (res.status === 429) {
          expect(res.text).toMatch(/Troppe richieste da questo indirizzo: riprovare tra 15 minuti/);
          expect(res.headers.get('retry-after')).toBe('900');
        }
      }
      expect(statuses).toEqual([422, 422, 422, 422, 422, 422, 429, 429]);
      // Another address is not affected; after the window the address may try again.
      expect((await new Browser(b2.url, '10.45.0.2').login(EMAIL, PW)).status).toBe(303);
      clock.advance(15 * 60_000);
      expect((await new Browser(a.url, ip).login(EMAIL, PW)).status).toBe(303);
    } finally {
      await a.close();
      await b2.close();
      await other?.close();
    }
  });

  test('the acknowledgement link of a reminder is behind the limiter too', async () => {
    const s2 = await startServer(testContext(get(), { env: { LIMITE_RICHIESTE: '2' }, clock }));
    try {
      const b = new Browser(s2.url, '10.46.0.1');
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await b.get(`/presa-visione/token-inventato-${i}`)).status);
      expect(statuses.slice(0, 2).every((s) => s !== 429)).toBe(true);
      expect(statuses[2]).toBe(429);
      expect((await new Browser(s2.url, '10.46.0.2').get('/presa-visione/token-inventato')).status).not.toBe(429);
    } finally {
      await s2.close();
    }
  });
});
