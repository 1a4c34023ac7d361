/**
 * Accounts in the browser (issue 16), over HTTP on both engines, with a real SMTP server:
 * bulk creation from the comuni's contacts with invitations, the one-time link, the reset by
 * e-mail (generic answer, old sessions ended), the forced change after a one-time password,
 * the comuni's contacts (edited by the office, proposed by a comune), and the audit of it all.
 */
import { describeDb, truncateAll } from '../support/db';
import { seedComuni } from '../support/fixtures';
import { createUser } from '../../server/auth/utenti';
import type { Utente } from '../../server/auth/tipi';
import { Browser, mutableClock, signedIn, startServer, testContext, TestServer } from '../auth/helpers';
import { startSmtp, TestSmtp } from '../posta/support';
import { attendiConsegne } from '../../server/account/inviti';
import { scryptLeggero } from '../auth/scrypt-leggero';

const linkIn = (text: string) => /https?:\/\/[^\s]+\/account\/imposta\/[A-Za-z0-9_-]+/.exec(text)?.[0] ?? null;

describeDb('account dal browser', (get) => {
  // About accounts, not hashing: scrypt at a low cost (test/auth/scrypt-leggero.ts).
  scryptLeggero();
  let smtp: TestSmtp;
  let ctx: ReturnType<typeof testContext>;
  let server: TestServer;
  let udp: Utente;
  let b: Browser;
  let csrf: string;
  const clock = mutableClock('2026-11-22T09:00:00Z');

  beforeAll(async () => {
    await truncateAll(get());
    await seedComuni(get());
    await get().knex('comuni').where({ codice_istat: '098031' }).update({ email: 'protocollo@comune.lodi.example; sindaco@comune.lodi.example' });
    await get().knex('comuni').where({ codice_istat: '098010' }).update({ email: 'non-un-indirizzo' });
    smtp = await startSmtp();
    ctx = testContext(get(), { clock, env: { SMTP_URL: smtp.url, BASE_URL: 'http://cruscotto.example' } });
    udp = (await createUser(get(), { email: 'udp@test.example', ruolo: 'udp', password: 'password-dei-test' })).utente;
    server = await startServer(ctx);
    ({ browser: b, csrf } = await signedIn(ctx, server.url, udp));
  });
  afterAll(async () => {
    await attendiConsegne(ctx);
    await server?.close();
    await smtp?.stop();
  });

  test('bulk creation from the comuni\'s contacts: a preview, then one account and one invitation per address; the person chooses the password and lands on the comune\'s page', async () => {
    const anteprima = await b.get('/utenti-comuni');
    expect(anteprima.status).toBe(200);
    expect(anteprima.text).toContain('value="098031|protocollo@comune.lodi.example"');
    expect(anteprima.text).toContain('value="098031|sindaco@comune.lodi.example"');
    expect(anteprima.text).toContain('indirizzo non valido: correggerlo nei contatti del comune');
    expect(anteprima.text).toMatch(/Comuni senza indirizzo \(1\): Sant&#x27;Angelo Lodigiano/);
    const res = await b.request('POST', '/utenti-comuni', { form: { _csrf: csrf, scelti: '098031|protocollo@comune.lodi.example' } });
    expect(res.status).toBe(303);
    // The second address too (a repeated field), plus one that is not proposed: skipped.
    const body = new URLSearchParams([['_csrf', csrf], ['scelti', '098031|sindaco@comune.lodi.example'], ['scelti', '098010|non-un-indirizzo']]);
    const res2 = await fetch(`${server.url}/utenti-comuni`, { method: 'POST', body, headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    expect(decodeURIComponent(res2.headers.get('location')!)).toContain('Account dei comuni creati: 1, ciascuno con il suo invito. Saltati 1');
    await attendiConsegne(ctx);
    await smtp.waitFor(2);
    expect(smtp.received.map((m) => m.to).sort()).toEqual(['protocollo@comune.lodi.example', 'sindaco@comune.lodi.example']);
    const invito = smtp.received.find((m) => m.to === 'protocollo@comune.lodi.example')!;
    expect(invito.subject).toBe('Il tuo account del Cruscotto Digitalizzazione');
    expect(invito.text).toContain('Comune di Lodi');
    expect(invito.text).not.toMatch(/monouso|provvisoria/i); // no password travels by e-mail
    const link = linkIn(invito.text)!;
    expect(link).toMatch(/^http:\/\/cruscotto\.example\/account\/imposta\//);
    // The office reading the outbox cannot use the link.
    const posta = await get().knex('posta').where({ tipo: 'invito', destinatario: 'protocollo@comune.lodi.example' }).first();
    expect(posta.stato).toBe('inviato');
    expect(posta.testo).not.toContain(new URL(link).pathname);
    expect((await b.get(`/posta/${posta.id}`)).text).not.toContain(new URL(link).pathname);

    const persona = new Browser(server.url);
    const path = new URL(link).pathname;
    const pagina = await persona.get(path);
    expect(pagina.status).toBe(200);
    expect(pagina.text).toContain('Attiva il tuo account');
    const token = pagina.text.match(/name="_csrf" value="([0-9a-f]+)"/)![1];
    const corta = await persona.post(path, { _csrf: token, nuova: 'corta', conferma: 'corta' });
    expect(corta.status).toBe(422);
    const ok = await persona.post(path, { _csrf: token, nuova: 'la mia frase segreta', conferma: 'la mia frase segreta' });
    expect([ok.status, ok.location]).toEqual([303, '/comuni/098031']);
    expect((await persona.get('/comuni/098031')).status).toBe(200);
    // One time only.
    expect((await new Browser(server.url).get(path)).status).toBe(410);
    const login = await new Browser(server.url).login('protocollo@comune.lodi.example', 'la mia frase segreta');
    expect(login.status).toBe(303);
    expect(await get().knex('audit').whereIn('azione', ['utente_creato', 'invito_inviato', 'invito_accettato', 'account_comuni_creati']).orderBy('id').pluck('azione')).toEqual([
      'utente_creato', // the office's own account, made by the test
      'utente_creato', 'invito_inviato', 'account_comuni_creati', 'utente_creato', 'invito_inviato', 'account_comuni_creati', 'invito_accettato',
    ]);
  });

  test('password reset by e-mail: the same answer for any address, a one-time link valid one hour, every old session ended', async () => {
    const u = (await createUser(get(), { email: 'vice@test.example', ruolo: 'udp', password: 'vecchia password lunga' })).utente;
    const vecchia = new Browser(server.url);
    expect((await vecchia.login('vice@test.example', 'vecchia password lunga')).status).toBe(303);
    expect((await vecchia.get('/job')).status).toBe(200);

    const chiedi = async (email: string) => {
      const x = new Browser(server.url);
      const t = await x.csrf('/password/dimenticata');
      const r = await x.post('/password/dimenticata', { _csrf: t, email });
      return r.text.match(/<div class="alert[^>]*>([^<]*)</)![1];
    };
    const n = smtp.received.length;
    const [noto, ignoto] = [await chiedi('VICE@test.example'), await chiedi('nessuno@test.example')];
    expect(noto).toBe(ignoto);
    expect(noto).toContain("Se l'indirizzo corrisponde a un account attivo");
    await attendiConsegne(ctx);
    await smtp.waitFor(n + 1);
    expect(smtp.received.slice(n).map((m) => m.to)).toEqual(['vice@test.example']);
    const link = new URL(linkIn(smtp.received[n].text)!).pathname;

    // Expired after an hour.
    clock.advance(61 * 60_000);
    expect((await new Browser(server.url).get(link)).status).toBe(410);
    clock.advance(-61 * 60_000);

    const persona = new Browser(server.url);
    const token = (await persona.get(link)).text.match(/name="_csrf" value="([0-9a-f]+)"/)![1];
    const ok = await persona.post(link, { _csrf: token, nuova: 'nuova frase tutta mia', conferma: 'nuova frase tutta mia' });
    expect([ok.status, ok.location]).toEqual([303, '/']);
    expect((await vecchia.get('/job')).location).toMatch(/^\/login/); // the old session is gone
    expect((await new Browser(server.url).login('vice@test.example', 'vecchia password lunga')).status).toBe(422);
    expect((await new Browser(server.url).login('vice@test.example', 'nuova frase tutta mia')).status).toBe(303);
    expect(await get().knex('audit').where({ utente_id: u.id, azione: 'password_reimpostata' }).count('* as n')).toEqual([{ n: 1 }]);
  });

  test('an account made from the command line with a one-time password must choose its own at the first login', async () => {
    // What `cruscotto user add` does without a password on stdin (test/auth/utenti.test.ts checks the flag).
    const pw = (await createUser(get(), { email: 'cli@test.example', ruolo: 'udp', cambioPassword: true })).password!;
    const p = new Browser(server.url);
    expect((await p.login('cli@test.example', pw)).status).toBe(303);
    const pagina = await p.get('/job');
    expect([pagina.status, pagina.location]).toEqual([303, '/password?obbligatoria=1']);
    expect((await p.get('/api/job')).status).toBe(403);
    const form = await p.get('/password?obbligatoria=1');
    expect(form.text).toContain('password monouso');
    const t = form.text.match(/name="_csrf" value="([0-9a-f]+)"/)![1];
    expect((await p.post('/password', { _csrf: t, attuale: pw, nuova: 'frase scelta da me', conferma: 'frase scelta da me' })).status).toBe(200);
    expect((await p.get('/job')).status).toBe(200);
  });

  test('the office edits a comune\'s contacts (validated); a comune proposes a change, the office accepts it; the reminders use it', async () => {
    expect((await b.request('POST', '/contatti/098047', { form: { _csrf: csrf, email: 'uno@x.example; due' } })).status).toBe(422);
    expect((await b.request('POST', '/contatti/098047', { form: { _csrf: csrf, email: ' Uno@X.example ; segreteria@x.example ' } })).status).toBe(303);
    expect(await get().knex('comuni').where({ codice_istat: '098047' }).first('email_ufficio')).toEqual({ email_ufficio: 'uno@x.example; segreteria@x.example' });
    const sindaco = (await createUser(get(), { email: 'sindaco.brembio@test.example', ruolo: 'comune', codice_istat: '098010', password: 'password-dei-test' })).utente;
    const { browser: s, csrf: sc } = await signedIn(ctx, server.url, sindaco);
    expect((await s.get('/contatti/098010')).text).toContain('non-un-indirizzo');
    expect((await s.request('POST', '/contatti/098010/proposta', { form: { _csrf: sc, email: 'protocollo@comune.brembio.example', nota: 'nuovo ufficio' } })).status).toBe(303);
    expect((await s.request('POST', '/contatti/098031/proposta', { form: { _csrf: sc, email: 'x@y.example' } })).status).toBe(403);
    const p = await get().knex('contatti_proposte').where({ codice_istat: '098010' }).first();
    expect((await b.get('/contatti')).text).toContain('protocollo@comune.brembio.example</strong> proposto da sindaco.brembio@test.example');
    expect((await b.request('POST', `/contatti/proposte/${p.id}/accetta`, { form: { _csrf: csrf } })).status).toBe(303);
    expect((await b.request('POST', `/contatti/proposte/${p.id}/accetta`, { form: { _csrf: csrf } })).status).toBe(409);
    const stato = (await get().knex.raw(`select coalesce(email_ufficio, email) as e from comuni where codice_istat = '098010'`)).rows[0].e;
    expect(stato).toBe('protocollo@comune.brembio.example');
    expect(await get().knex('audit').whereIn('azione', ['contatti_modificati', 'contatti_proposti', 'contatti_proposta_accettata']).orderBy('id').pluck('azione')).toEqual(['contatti_modificati', 'contatti_proposti', 'contatti_proposta_accettata']);
  });

  test('the office disables, re-enables and changes the role of an account; the sessions of a changed account end', async () => {
    const u = (await createUser(get(), { email: 'op@test.example', ruolo: 'comune', codice_istat: '098031', password: 'password-dei-test' })).utente;
    const { browser: ub } = await signedIn(ctx, server.url, u);
    expect((await b.request('POST', `/utenti/${u.id}/ruolo`, { form: { _csrf: csrf, ruolo: 'comune', codice_istat: '098010' } })).status).toBe(303);
    expect((await ub.get('/')).location).toMatch(/^\/login/);
    expect(await get().knex('utenti').where({ id: u.id }).first('codice_istat')).toEqual({ codice_istat: '098010' });
    expect((await b.request('POST', `/utenti/${u.id}/ruolo`, { form: { _csrf: csrf, ruolo: 'comune' } })).status).toBe(422);
    expect((await b.request('POST', `/utenti/${u.id}/disattiva`, { form: { _csrf: csrf } })).status).toBe(303);
    expect((await new Browser(server.url).login('op@test.example', 'password-dei-test')).status).toBe(422);
    expect((await b.request('POST', `/utenti/${u.id}/riattiva`, { form: { _csrf: csrf } })).status).toBe(303);
    expect((await new Browser(server.url).login('op@test.example', 'password-dei-test')).status).toBe(303);
    expect((await b.request('POST', `/utenti/${udp.id}/disattiva`, { form: { _csrf: csrf } })).status).toBe(422); // not oneself
    const lista = await b.get('/utenti');
    expect(lista.text).toContain('op@test.example');
    expect(await get().knex('audit').where({ email: 'udp@test.example' }).whereIn('azione', ['utente_modificato', 'utente_disattivato', 'utente_riattivato']).orderBy('id').pluck('azione')).toEqual(['utente_modificato', 'utente_disattivato', 'utente_riattivato']);
  });
});
