/**
 * Account review ("aggiornamento credenziali") over HTTP on both engines, with a real SMTP
 * server: a comune confirms one account, asks the removal of another and a new one; the office
 * approves in one list: the removed account is disabled (its sessions end), the new one gets an
 * invitation by e-mail. A comune cannot ask for another comune's accounts.
 */
import { describeDb, truncateAll } from '../support/db';
import { seedComuni } from '../support/fixtures';
import { createUser } from '../../server/auth/utenti';
import type { Utente } from '../../server/auth/tipi';
import { mutableClock, signedIn, startServer, testContext, TestServer } from '../auth/helpers';
import { startSmtp, TestSmtp } from '../posta/support';
import { attendiConsegne } from '../../server/account/inviti';

const LODI = '098031';

describeDb('aggiornamento credenziali', (get) => {
  let smtp: TestSmtp;
  let ctx: ReturnType<typeof testContext>;
  let server: TestServer;
  const u = {} as Record<'udp' | 'lodi' | 'vecchio' | 'brembio', Utente>;
  const clock = mutableClock('2026-11-22T09:00:00Z');

  beforeAll(async () => {
    const db = get();
    await truncateAll(db);
    await seedComuni(db);
    smtp = await startSmtp();
    ctx = testContext(db, { clock, env: { SMTP_URL: smtp.url, BASE_URL: 'http://cruscotto.example' } });
    const pw = 'password-dei-test-2026';
    u.udp = (await createUser(db, { email: 'udp@test.example', ruolo: 'udp', password: pw })).utente;
    u.lodi = (await createUser(db, { email: 'sindaco@lodi.example', ruolo: 'comune', codice_istat: LODI, password: pw })).utente;
    u.vecchio = (await createUser(db, { email: 'ex.assessore@lodi.example', ruolo: 'comune', codice_istat: LODI, password: pw })).utente;
    u.brembio = (await createUser(db, { email: 'sindaco@brembio.example', ruolo: 'comune', codice_istat: '098010', password: pw })).utente;
    server = await startServer(ctx);
  });
  afterAll(async () => {
    await attendiConsegne(ctx);
    await server?.close();
    await smtp?.stop();
  });

  test('removal approved: account disabled; addition approved: invitation sent; confirmation recorded', async () => {
    const lodi = await signedIn(ctx, server.url, u.lodi);
    const pagina = await lodi.browser.get(`/credenziali/${LODI}`);
    expect(pagina.status).toBe(200);
    expect(pagina.text).toContain('ex.assessore@lodi.example');
    expect(pagina.text).not.toContain('sindaco@brembio.example');

    const conferma = await lodi.browser.post(`/credenziali/${LODI}`, { _csrf: lodi.csrf, tipo: 'conferma', utente_id: String(u.lodi.id) });
    expect(decodeURIComponent(conferma.location!)).toBe(`/credenziali/${LODI}?esito=Account sindaco@lodi.example confermato.`);
    const rimozione = await lodi.browser.post(`/credenziali/${LODI}`, { _csrf: lodi.csrf, tipo: 'rimozione', utente_id: String(u.vecchio.id) });
    expect(decodeURIComponent(rimozione.location!)).toBe(`/credenziali/${LODI}?esito=Richiesta di rimozione di ex.assessore@lodi.example inviata all'Ufficio di Piano.`);
    const aggiunta = await lodi.browser.post(`/credenziali/${LODI}`, { _csrf: lodi.csrf, tipo: 'aggiunta', email: 'Nuova.Assistente@Lodi.example', ruolo: 'comune', nota: 'nuova responsabile' });
    expect(decodeURIComponent(aggiunta.location!)).toBe(`/credenziali/${LODI}?esito=Richiesta di un nuovo account per nuova.assistente@lodi.example inviata all'Ufficio di Piano.`);
    // Refused requests, with their reasons.
    const doppia = await lodi.browser.post(`/credenziali/${LODI}`, { _csrf: lodi.csrf, tipo: 'rimozione', utente_id: String(u.vecchio.id) });
    expect([doppia.status, doppia.text.includes('La rimozione di questo account è già stata chiesta.')]).toEqual([422, true]);
    const altrui = await lodi.browser.post(`/credenziali/${LODI}`, { _csrf: lodi.csrf, tipo: 'rimozione', utente_id: String(u.brembio.id) });
    expect([altrui.status, altrui.text.includes('L&#x27;account non è tra quelli del comune.')]).toEqual([422, true]);
    const esiste = await lodi.browser.post(`/credenziali/${LODI}`, { _csrf: lodi.csrf, tipo: 'aggiunta', email: 'udp@test.example', ruolo: 'comune' });
    expect([esiste.status, esiste.text.includes('Esiste già un account con questo indirizzo.')]).toEqual([422, true]);
    const operatore = await lodi.browser.post(`/credenziali/${LODI}`, { _csrf: lodi.csrf, tipo: 'aggiunta', email: 'as@lodi.example', ruolo: 'operatore' });
    expect([operatore.status, operatore.text.includes('Per un&#x27;assistente sociale serve il codice operatore del SIZ.')]).toEqual([422, true]);
    // Another comune can neither see nor ask.
    const brembio = await signedIn(ctx, server.url, u.brembio);
    expect((await brembio.browser.get(`/credenziali/${LODI}`)).status).toBe(403);
    expect((await brembio.browser.post(`/credenziali/${LODI}`, { _csrf: brembio.csrf, tipo: 'rimozione', utente_id: String(u.vecchio.id) })).status).toBe(403);

    // The office's one list: two requests waiting (the confirmation needs no decision).
    const udp = await signedIn(ctx, server.url, u.udp);
    const lista = await udp.browser.get('/credenziali');
    expect(lista.text).toContain('Richieste in attesa (2)');
    const ids = (await get().knex('credenziali_richieste').where({ stato: 'in_attesa' }).orderBy('id').select('id', 'tipo')).map((r) => [r.tipo, Number(r.id)]);
    expect(ids.map(([t]) => t)).toEqual(['rimozione', 'aggiunta']);
    const sessioneVecchio = await signedIn(ctx, server.url, u.vecchio);
    const ok1 = await udp.browser.post(`/credenziali/richieste/${ids[0][1]}/approva`, { _csrf: udp.csrf });
    expect(decodeURIComponent(ok1.location!)).toBe('/credenziali?esito=Account ex.assessore@lodi.example disattivato: le sue sessioni sono state chiuse.');
    expect((await get().knex('utenti').where({ id: u.vecchio.id }).first('attivo')).attivo).toBe(false);
    expect((await sessioneVecchio.browser.get('/')).status).toBe(302); // its session is gone
    const ok2 = await udp.browser.post(`/credenziali/richieste/${ids[1][1]}/approva`, { _csrf: udp.csrf });
    expect(decodeURIComponent(ok2.location!)).toBe('/credenziali?esito=Account nuova.assistente@lodi.example creato: invito mandato.');
    expect(await get().knex('utenti').where({ email: 'nuova.assistente@lodi.example' }).first('ruolo', 'codice_istat', 'attivo')).toEqual({ ruolo: 'comune', codice_istat: LODI, attivo: true });
    await attendiConsegne(ctx);
    await smtp.waitFor(1);
    const invito = smtp.received.find((m) => m.to === 'nuova.assistente@lodi.example')!;
    expect(invito.subject).toBe('Il tuo account del Cruscotto Digitalizzazione');
    expect(invito.text).toContain('Comune di Lodi');
    expect(invito.text).toMatch(/http:\/\/cruscotto\.example\/account\/imposta\/[A-Za-z0-9_-]+/);
    // Decided once: a second decision is refused; the comune's page shows the outcome.
    expect((await udp.browser.post(`/credenziali/richieste/${ids[0][1]}/respingi`, { _csrf: udp.csrf })).status).toBe(409);
    const dopo = await lodi.browser.get(`/credenziali/${LODI}`);
    expect(dopo.text).toContain('Conferma: confermato');
    expect(dopo.text).toContain('Rimozione: approvata');
    expect(dopo.text).toMatch(/nuova\.assistente@lodi\.example/);
  });

  test('a rejected request changes nothing', async () => {
    const lodi = await signedIn(ctx, server.url, u.lodi);
    await lodi.browser.post(`/credenziali/${LODI}`, { _csrf: lodi.csrf, tipo: 'aggiunta', email: 'forse@lodi.example', ruolo: 'comune' });
    const r = await get().knex('credenziali_richieste').where({ email: 'forse@lodi.example' }).first('id');
    const udp = await signedIn(ctx, server.url, u.udp);
    const no = await udp.browser.post(`/credenziali/richieste/${r.id}/respingi`, { _csrf: udp.csrf });
    expect(decodeURIComponent(no.location!)).toBe('/credenziali?esito=Richiesta respinta.');
    expect(await get().knex('utenti').where({ email: 'forse@lodi.example' }).first()).toBeUndefined();
    expect((await get().knex('credenziali_richieste').where({ id: r.id }).first('stato')).stato).toBe('respinta');
  });
});
