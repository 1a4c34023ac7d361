/**
 * /notifiche and /api/notifiche on the real app: an operatore sees their own alarms with the
 * details of the person and the household, never another operatore's; acknowledges one or many
 * with the CSRF token (who and when recorded); filters by type. The UdP sees the board per
 * comune without personal data; a comune account is refused.
 */
import fs from 'node:fs';
import { createUser } from '../../server/auth/utenti';
import type { Utente } from '../../server/auth/tipi';
import { eseguiVariazioni } from '../../server/variazioni/service';
import { Browser, inlineViolations, mutableClock, signedIn, startServer, testContext, TestServer } from '../auth/helpers';
import { describeDb, truncateAll } from '../support/db';
import { cleanupFiles, LODI } from './helpers';
import { P, seedScenario } from './scenario';

describeDb('pagina /notifiche', (get) => {
  let ctx: ReturnType<typeof testContext>;
  let server: TestServer;
  const u = {} as Record<'op1' | 'op2' | 'udp' | 'comune', Utente>;

  beforeAll(async () => {
    const db = get();
    await truncateAll(db);
    await seedScenario(db);
    ctx = testContext(db, { clock: mutableClock('2026-11-22T09:00:00Z') });
    await eseguiVariazioni(ctx);
    const pw = 'password-dei-test-2026';
    u.op1 = (await createUser(db, { email: 'op1@servizi.example', ruolo: 'operatore', operatore_id: 'OP1', password: pw })).utente;
    u.op2 = (await createUser(db, { email: 'op2@servizi.example', ruolo: 'operatore', operatore_id: 'OP2', password: pw })).utente;
    u.udp = (await createUser(db, { email: 'udp@test.example', ruolo: 'udp', password: pw })).utente;
    u.comune = (await createUser(db, { email: 'comune@test.example', ruolo: 'comune', codice_istat: LODI, password: pw })).utente;
    server = await startServer(ctx);
  });
  afterAll(async () => {
    await server?.close();
    if (ctx) fs.rmSync(ctx.dataDir, { recursive: true, force: true });
    cleanupFiles();
  });

  const as = (who: keyof typeof u) => signedIn(ctx, server.url, u[who]);
  const idsOf = async (op: string) => (await get().knex('allarmi').where('operatore_id', op).orderBy('id').pluck('id')).map(Number);

  /** A form post with repeated fields (Browser.post takes one value per name). */
  async function postForm(b: Browser, p: string, fields: [string, string][]) {
    const res = await fetch(server.url + p, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      body: new URLSearchParams(fields).toString(),
    });
    return { status: res.status, location: res.headers.get('location') };
  }

  test('l\'operatore vede i propri allarmi con i dati della persona e della famiglia, non quelli degli altri', async () => {
    const { browser } = await as('op1');
    const r = await browser.get('/notifiche');
    expect(r.status).toBe(200);
    expect(inlineViolations(r.text)).toEqual([]);
    expect(r.text).toContain('Cartella C1');
    expect(r.text).toContain('Cartella C6');
    expect(r.text).toContain(P.bimbo.cf);
    expect(r.text).toContain('Rossi Luca');
    expect(r.text).toContain(P.anna.cf); // household member, in no cartella
    for (const other of [P.marco.cf, P.elsa.cf, P.bruno.cf, 'Cartella C3', 'Cartella C4']) expect(r.text).not.toContain(other);

    const op2 = await (await as('op2')).browser.get('/notifiche');
    expect(op2.text).toContain('Cartella C3');
    expect(op2.text).toContain(P.marco.cf);
    expect(op2.text).not.toContain(P.bimbo.cf);
    expect(op2.text).not.toContain('Cartella C1');
  });

  test('il JSON gemello restituisce solo gli allarmi dell\'operatore', async () => {
    const { browser } = await as('op2');
    const r = await browser.get('/api/notifiche');
    expect(r.status).toBe(200);
    const doc = JSON.parse(r.text);
    expect(doc.operatore_id).toBe('OP2');
    expect(doc.allarmi.map((a: { tipo: string; id_cartella: string }) => `${a.tipo} ${a.id_cartella}`).sort()).toEqual(['cambio_famiglia C3', 'cambio_indirizzo C3']);
    expect(doc.allarmi[0].famiglia_precedente.map((f: { codice_fiscale: string }) => f.codice_fiscale).sort()).toEqual([P.piero.cf, P.marco.cf].sort());
  });

  test('filtro per tipo; un tipo sconosciuto è una richiesta non valida', async () => {
    const { browser } = await as('op2');
    const r = await browser.get('/notifiche?tipo=cambio_indirizzo');
    expect(r.text).toContain('Via Nuova 4');
    expect(r.text.match(/<article /g)).toHaveLength(1);
    expect(r.text).toMatch(/<option value="cambio_indirizzo" selected>/);
    expect((await browser.get('/notifiche?tipo=decesso')).text).toContain('Nessuna notifica da vedere di questo tipo');
    expect((await browser.get('/notifiche?tipo=matrimonio')).status).toBe(400);
  });

  test('presa visione di una o più notifiche, con il token CSRF; chi e quando sono registrati', async () => {
    const [a1, a2] = await idsOf('OP1');
    const { browser, csrf } = await as('op1');

    expect((await postForm(browser, '/notifiche/presa-visione', [['id', String(a1)]])).status).toBe(403);
    expect(await get().knex('allarmi').whereNotNull('preso_visione_il').count('* as n')).toEqual([{ n: 0 }]);

    // Another operatore's alarm in the same request is ignored.
    const [altrui] = await idsOf('OP2');
    const r = await postForm(browser, '/notifiche/presa-visione', [['_csrf', csrf], ['id', String(a1)], ['id', String(a2)], ['id', String(altrui)]]);
    expect(r).toEqual({ status: 303, location: '/notifiche?viste=2' });
    const visti = await get().knex('allarmi').whereNotNull('preso_visione_il').orderBy('id').select('id', 'preso_visione_da', 'preso_visione_email', 'preso_visione_il');
    expect(visti).toEqual([a1, a2].map((id) => ({ id, preso_visione_da: u.op1.id, preso_visione_email: 'op1@servizi.example', preso_visione_il: new Date('2026-11-22T09:00:00Z') })));
    const page = await browser.get('/notifiche?viste=2');
    expect(page.text).toContain('2 notifiche segnate come viste');
    expect(page.text).toContain('Da vedere (0)');
    expect(await get().knex('audit').where('azione', 'notifiche_presa_visione').count('* as n')).toEqual([{ n: 1 }]);
  });

  test('il pulsante di una sola notifica e l\'API JSON con l\'intestazione X-CSRF-Token', async () => {
    const [c3a, c3b] = await idsOf('OP2');
    const { browser, csrf } = await as('op2');
    const r = await postForm(browser, '/notifiche/presa-visione', [['_csrf', csrf], ['id', String(c3b)], ['solo', String(c3a)], ['tipo', 'cambio_famiglia']]);
    expect(r).toEqual({ status: 303, location: '/notifiche?viste=1&tipo=cambio_famiglia' });
    expect(await get().knex('allarmi').whereIn('id', [c3a, c3b]).orderBy('id').pluck('preso_visione_da')).toEqual([u.op2.id, null]);

    expect((await browser.request('POST', '/api/notifiche/presa-visione', { json: { ids: [c3b] } })).status).toBe(403);
    const ok = await browser.request('POST', '/api/notifiche/presa-visione', { json: { ids: [c3b] }, headers: { 'x-csrf-token': csrf } });
    expect([ok.status, JSON.parse(ok.text)]).toEqual([200, { presi_in_visione: 1 }]);
    const bad = await browser.request('POST', '/api/notifiche/presa-visione', { json: { ids: ['x'] }, headers: { 'x-csrf-token': csrf } });
    expect(bad.status).toBe(400);
  });

  test('l\'UdP vede il quadro per comune senza dati personali; il comune no', async () => {
    const { browser } = await as('udp');
    const r = await browser.get('/notifiche');
    expect(r.status).toBe(200);
    expect(inlineViolations(r.text)).toEqual([]);
    expect(r.text).toContain('Lodi (098031)');
    expect(r.text).toContain('operatore senza e-mail');
    expect(r.text).toContain('cartella senza operatore noto');
    for (const p of Object.values(P)) {
      expect(r.text).not.toContain(p.cf);
      expect(r.text).not.toContain(p.cognome);
    }
    const api = JSON.parse((await browser.get('/api/notifiche')).text);
    expect(api.comuni).toEqual([expect.objectContaining({ codice_istat: LODI })]);
    expect(api.senza_email.map((a: { id_cartella: string }) => a.id_cartella).sort()).toEqual(['C4', 'C5']);

    const comune = (await as('comune')).browser;
    expect((await comune.get('/notifiche')).status).toBe(403);
    expect((await comune.get('/api/notifiche')).status).toBe(403);
  });
});
