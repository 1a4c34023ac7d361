/**
 * A census round over HTTP on both engines: the office opens it (deadlines, invitations), a
 * comune saves a draft, is refused with the exact messages, submits with a warning, amends; the
 * office answers for another on its behalf; the census row, the deadline, the reminders, the
 * debounced reconciliation, the board (states, CSV), the history, extend and close; and the role
 * rules: a comune cannot read or submit another comune's form, by page or by API.
 */
import { describeDb, truncateAll } from '../support/db';
import { seedComuni } from '../support/fixtures';
import { createUser } from '../../server/auth/utenti';
import type { Utente } from '../../server/auth/tipi';
import { Browser, mutableClock, signedIn, startServer, testContext, TestServer } from '../auth/helpers';
import { cartella, comune, membro, person, censimento } from '../riconciliazione/helpers';
import { riferimenti } from '../../server/censimento/riferimenti';
import { attendiRiconciliazione } from '../../server/censimento/riconcilia';
import { attendiConsegne } from '../../server/account/inviti';
import { listScadenze } from '../../server/scadenze/service';
import { runPromemoria } from '../../server/promemoria/service';
import { MSG } from '../../server/censimento/testi';

const LODI = '098031';
const BREMBIO = '098010';
const SANTANGELO = '098047';
const E = '2026-06-30';
const esc = (s: string) => s.replace(/'/g, '&#x27;');

describeDb('censimento online', (get) => {
  let ctx: ReturnType<typeof testContext>;
  let server: TestServer;
  const clock = mutableClock('2026-11-22T09:00:00Z');
  const u = {} as Record<'udp' | 'lodi' | 'brembio', Utente>;
    let giro = 0;
  // A fresh session per request: the test moves the clock by days, past a session's idle limit.
  const getAs = async (k: keyof typeof u, p: string) => (await signedIn(ctx, server.url, u[k])).browser.get(p);
  const postAs = async (k: keyof typeof u, p: string, form: Record<string, string>) => {
    const s = await signedIn(ctx, server.url, u[k]);
    return s.browser.post(p, { _csrf: s.csrf, ...form });
  };

  beforeAll(async () => {
    const db = get();
    await truncateAll(db);
    await seedComuni(db);
    await comune(db, '098001', { nome: 'Abbadia Cerreto' });
    await comune(db, '098002', { nome: 'Bertonico' });
    await db.knex('comuni').where({ codice_istat: LODI }).update({ email: 'protocollo@comune.lodi.example' });
    await db.knex('comuni').where({ codice_istat: BREMBIO }).update({ email: 'sociale@comune.brembio.example; sindaco@comune.brembio.example' });
    await db.knex('comuni').where({ codice_istat: SANTANGELO }).update({ email: 'servizi@comune.santangelo.example' });
    // The previous round (E 2025-06-30). utenti/cartelle of the others: Brembio 1,5; Sant'Angelo 3; Abbadia 2.
    await censimento(db, LODI, '2025-06-30', { cartelle_attive: 10, utenti_in_carico: 20 });
    await censimento(db, BREMBIO, '2025-06-30', { cartelle_attive: 4, utenti_in_carico: 6 });
    await censimento(db, SANTANGELO, '2025-06-30', { cartelle_attive: 8, utenti_in_carico: 24 });
    await censimento(db, '098001', '2025-06-30', { cartelle_attive: 5, utenti_in_carico: 10 });
    // Imported back then (a census row imported after a deadline was created meets it: stato.sql).
    await db.knex('censimento').update({ importato_il: new Date('2025-07-15T10:00:00Z') });
    // Lodi in SIZ at E: 6 active cartelle (3 opened in 2025, 3 in the 2026 period, one of tutela), one person each; one closed before E.
    for (let i = 1; i <= 6; i++) {
      await cartella(db, `L${i}`, LODI, i <= 3 ? '2025-03-01' : '2026-02-01', null, { tutela: i === 1 });
      await membro(db, `L${i}`, person(i));
    }
    await cartella(db, 'L7', LODI, '2025-03-01', '2026-05-01');
    await membro(db, 'L7', person(7));
    ctx = testContext(db, { clock, env: { BASE_URL: 'http://cruscotto.example' } });
    const pw = 'password-dei-test-2026';
    u.udp = (await createUser(db, { email: 'udp@test.example', ruolo: 'udp', password: pw })).utente;
    u.lodi = (await createUser(db, { email: 'comune@lodi.example', ruolo: 'comune', codice_istat: LODI, password: pw })).utente;
    u.brembio = (await createUser(db, { email: 'comune@brembio.example', ruolo: 'comune', codice_istat: BREMBIO, password: pw })).utente;
    server = await startServer(ctx);
  });
  afterAll(async () => {
    await attendiRiconciliazione(ctx);
    await attendiConsegne(ctx);
    await server?.close();
  });

  test('opening a round: refused with a reason when the dates are wrong', async () => {
    const r = await postAs('udp', '/censimento', { data_riferimento: E, periodo_inizio: '2026-07-01', data_scadenza: '2026-11-01' });
    expect(r.status).toBe(422);
    expect(r.text).toContain(esc("L'inizio del periodo non può essere successivo alla data di riferimento."));
    expect(r.text).toContain('La scadenza non può essere già passata.');
    expect(await get().knex('censimento_giri').count('* as n').first()).toEqual({ n: expect.anything() });
    expect(Number((await get().knex('censimento_giri').count('* as n').first())!.n)).toBe(0);
  });

  test('opening a round for three comuni: a censimento deadline each, an invitation per contact, no personal data', async () => {
    const body = new URLSearchParams([['data_riferimento', E], ['periodo_inizio', ''], ['data_scadenza', '2026-12-15'], ['messaggio', 'Grazie della collaborazione.'], ['comuni', LODI], ['comuni', BREMBIO], ['comuni', SANTANGELO]]);
    const udp = await signedIn(ctx, server.url, u.udp);
    body.set('_csrf', udp.csrf);
    const r = await fetch(`${server.url}/censimento`, { method: 'POST', body, headers: { cookie: [...udp.browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    expect(r.status).toBe(303);
    expect(decodeURIComponent(r.headers.get('location')!)).toMatch(/^\/censimento\/giri\/\d+\?esito=Censimento aperto: 4 inviti in uscita\.$/);
    const g = await get().knex('censimento_giri').first();
    giro = Number(g.id);
    expect([g.data_riferimento, g.periodo_inizio, g.data_scadenza, g.stato]).toEqual([E, '2026-01-01', '2026-12-15', 'aperto']);
    const scadenze = await get().knex('scadenze').where({ tipo: 'censimento' }).orderBy('codice_istat').select('codice_istat', 'data_scadenza');
    expect(scadenze).toEqual([{ codice_istat: BREMBIO, data_scadenza: '2026-12-15' }, { codice_istat: LODI, data_scadenza: '2026-12-15' }, { codice_istat: SANTANGELO, data_scadenza: '2026-12-15' }]);
    const posta = await get().knex('posta').where({ tipo: 'censimento' }).orderBy('destinatario').select('destinatario', 'oggetto', 'testo', 'codice_istat');
    expect(posta.map((p) => p.destinatario)).toEqual(['protocollo@comune.lodi.example', 'servizi@comune.santangelo.example', 'sindaco@comune.brembio.example', 'sociale@comune.brembio.example']);
    const lodi = posta.find((p) => p.codice_istat === LODI)!;
    expect(lodi.oggetto).toBe('Censimento delle cartelle sociali al 30 giugno 2026: rispondere entro il 15 dicembre 2026');
    expect(lodi.testo).toContain('Comune di Lodi');
    expect(lodi.testo).toContain('http://cruscotto.example/censimento/comuni/098031');
    expect(lodi.testo).toContain('Grazie della collaborazione.');
    // No personal data of assisted people: no codice fiscale, no cartella identifier.
    for (const p of posta) {
      expect(p.testo).not.toMatch(/[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]/);
      expect(p.testo).not.toMatch(/\bL\d\b/);
    }
    // The same reference date cannot be opened twice.
    const again = await postAs('udp', '/censimento', { data_riferimento: E, data_scadenza: '2026-12-20' });
    expect(again.status).toBe(422);
    expect(again.text).toContain('È già aperto un censimento con questa data di riferimento.');
  });

  test("what the form shows beside the figures: SIZ counts at E (the reconciliation's SQL), the previous declaration, the ambito's range", async () => {
    const rif = await riferimenti(ctx, LODI, E);
    expect(rif.siz).toEqual({ cartelle_attive: 6, cartelle_attive_tutela: 1, utenti_in_carico: 6, utenti_in_carico_tutela: 1, cartelle_aperte_periodo: 3, utenti_nuovi_periodo: 3, cartelle_chiuse_periodo: 1, utenti_senza_cartella_periodo: 0 });
    expect(rif.precedente).toMatchObject({ data_riferimento: '2025-06-30', cartelle_attive: 10, utenti_in_carico: 20 });
    expect(rif.intervallo).toEqual({ min: 1.5, max: 3 });
    // Only declarations whose figures every account reads in full count: Bertonico's 9 utenti
    // on 2 cartelle (4,5, `<3` cartelle) or 1 utente on 5 (0,2, `<3` utenti) would be the
    // maximum or minimum and tell the `<3` apart; 0 utenti on 6 cartelle are published (0).
    const db = get();
    for (const [dich, atteso] of [
      [{ cartelle_attive: 2, utenti_in_carico: 9 }, { min: 1.5, max: 3 }],
      [{ cartelle_attive: 5, utenti_in_carico: 1 }, { min: 1.5, max: 3 }],
      [{ cartelle_attive: 6, utenti_in_carico: 0 }, { min: 0, max: 3 }],
    ] as const) {
      await censimento(db, '098002', '2025-06-30', dich);
      expect((await riferimenti(ctx, LODI, E)).intervallo).toEqual(atteso);
      await db.knex('censimento').where({ codice_istat: '098002' }).delete();
    }
    // A newer small declaration is not replaced by an older published one: Abbadia (10/5 before)
    // now declares 1 cartella, so only Brembio and Sant'Angelo are left, too few for a range.
    await censimento(db, '098001', '2026-01-31', { cartelle_attive: 1, utenti_in_carico: 4 });
    expect((await riferimenti(ctx, LODI, E)).intervallo).toBeNull();
    await db.knex('censimento').where({ codice_istat: '098001', data_riferimento: '2026-01-31' }).delete();
    expect((await riferimenti(ctx, LODI, E)).intervallo).toEqual({ min: 1.5, max: 3 });
    const page = await getAs('lodi', `/censimento/comuni/${LODI}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('una cartella di un singolo beneficiario conta 1 cartella');
    expect(page.text).toContain('Escluse le cartelle con solo pasti a domicilio e trasporti');
    expect(page.text).toContain('Da compilare');
  });

  test('a draft is saved (no census row yet); invalid figures are refused with their messages and nothing is saved', async () => {
    const bozza = await postAs('lodi', `/censimento/comuni/${LODI}`, { azione: 'bozza', cartelle_attive: '12', utenti_in_carico: '' });
    expect([bozza.status, decodeURIComponent(bozza.location ?? '')]).toEqual([303, `/censimento/comuni/${LODI}?esito=Bozza salvata: non è ancora inviata.`]);
    expect(await get().knex('censimento_dichiarazioni').first('stato', 'cartelle_attive', 'utenti_in_carico', 'aggiornata_da')).toEqual({ stato: 'bozza', cartelle_attive: 12, utenti_in_carico: null, aggiornata_da: 'comune@lodi.example' });
    expect(await get().knex('censimento').where({ codice_istat: LODI, data_riferimento: E }).first()).toBeUndefined();
    const male = await postAs('lodi', `/censimento/comuni/${LODI}`, { azione: 'invia', cartelle_attive: '12', utenti_in_carico: '5', cartelle_attive_tutela: '-1' });
    expect(male.status).toBe(422);
    expect(male.text).toContain(MSG.utentiCartelle);
    expect(male.text).toContain(MSG.intero);
    expect((await get().knex('censimento_dichiarazioni').first('stato')).stato).toBe('bozza');
  });

  test('submitting with a plausibility warning: shown, not blocking; the census row as an import makes it; the deadline is met and its reminders stop', async () => {
    clock.set('2026-11-23T09:00:00Z');
    const inviata = await postAs('lodi', `/censimento/comuni/${LODI}`, { azione: 'invia', cartelle_attive: '16', cartelle_attive_tutela: '1', utenti_in_carico: '30', cartelle_aperte_periodo: '3', note: 'Stima degli utenti' });
    // Redirected (a refresh never submits again); the page that follows reads the warnings back.
    expect([inviata.status, inviata.location]).toEqual([303, `/censimento/comuni/${LODI}?avvisi=1`]);
    const r = await getAs('lodi', inviata.location!);
    expect(r.text).toContain('Dichiarazione inviata.');
    expect(r.text).toContain('Cartelle attive alla data di riferimento: variazione di più del 50% rispetto al censimento precedente (da 10 a 16).');
    const row = await get().knex('censimento').where({ codice_istat: LODI, data_riferimento: E }).first();
    expect(row).toMatchObject({ periodo_inizio: '2026-01-01', cartelle_attive: 16, cartelle_attive_tutela: 1, utenti_in_carico: 30, utenti_in_carico_tutela: null, cartelle_aperte_periodo: 3, note: 'Stima degli utenti', importazione_id: null });
    const scad = await listScadenze(ctx, { oggi: '2026-11-23' });
    expect(scad.filter((s) => s.tipo === 'censimento').map((s) => [s.codice_istat, s.stato])).toEqual([[BREMBIO, 'da_fare'], [LODI, 'completata'], [SANTANGELO, 'da_fare']]);
    // An older round of Sant'Angelo imported again does not answer this round.
    await get().knex('censimento').where({ codice_istat: SANTANGELO }).update({ importato_il: new Date(Date.now() + 60_000) });
    expect((await listScadenze(ctx, { oggi: '2026-11-23' })).find((s) => s.tipo === 'censimento' && s.codice_istat === SANTANGELO)!.stato).toBe('da_fare');
    // The 30-day reminder (due since 16 November) goes to the two comuni that have not answered, not to Lodi.
    const p = await runPromemoria(ctx, { oggi: '2026-11-23' });
    expect(p.accodati).toBe(3);
    expect((await get().knex('posta').where({ tipo: 'promemoria' }).orderBy('destinatario').pluck('destinatario'))).toEqual(['servizi@comune.santangelo.example', 'sindaco@comune.brembio.example', 'sociale@comune.brembio.example']);
  });

  test('an amendment before the deadline replaces the declaration and keeps the history; the reconciliation runs once for the burst', async () => {
    const r = await postAs('lodi', `/censimento/comuni/${LODI}`, { azione: 'invia', cartelle_attive: '12', utenti_in_carico: '24' });
    expect(r.status).toBe(303);
    expect((await get().knex('censimento').where({ codice_istat: LODI, data_riferimento: E }).first()).cartelle_attive).toBe(12);
    const invii = await get().knex('censimento_invii').where({ codice_istat: LODI }).orderBy('id').select('cartelle_attive', 'origine', 'inviato_da', 'avvisi');
    expect(invii.map((i) => [i.cartelle_attive, i.origine, i.inviato_da, i.avvisi.length])).toEqual([[16, 'modulo', 'comune@lodi.example', 1], [12, 'modulo', 'comune@lodi.example', 0]]);
    // Two submissions, one run of the chain (reconciliation, then quality), when the wait ends.
    expect(await attendiRiconciliazione(ctx)).toBe(true);
    const runs = await get().knex('job_esecuzioni').where({ job: 'riconciliazione' }).select('origine', 'esito');
    expect(runs).toEqual([{ origine: 'censimento online', esito: 'ok' }]);
    const digit = await get().knex('riconciliazione_comuni').where({ codice_istat: LODI }).orderBy('riconciliazione_id', 'desc').first('digit_tot', 'cartelle_attive_siz', 'cartelle_attive_dich');
    expect([Number(digit.digit_tot), digit.cartelle_attive_siz, digit.cartelle_attive_dich]).toEqual([50, 6, 12]);
    const storico = await getAs('lodi', `/censimento/comuni/${LODI}/storico`);
    expect(storico.status).toBe(200);
    expect(storico.text).toContain('30/06/2026');
    expect(storico.text).toContain('30/06/2025');
    expect((storico.text.match(/comune@lodi\.example dal comune/g) ?? []).length).toBe(2);
  });

  test("the office enters a declaration on a comune's behalf, recorded as such (with the ambito's range warning)", async () => {
    const inviata = await postAs('udp', `/censimento/comuni/${BREMBIO}`, { azione: 'invia', cartelle_attive: '5', utenti_in_carico: '8' });
    expect([inviata.status, inviata.location]).toEqual([303, `/censimento/comuni/${BREMBIO}?avvisi=1`]);
    const r = await getAs('udp', inviata.location!);
    // The others' latest declarations now: Lodi 24/12 = 2, Sant'Angelo 24/8 = 3, Abbadia 10/5 = 2; Brembio 8/5 = 1,6.
    expect(r.text).toContain(esc("Il rapporto tra utenti in carico e cartelle attive (1,6) è fuori dall'intervallo osservato negli altri comuni dell'ambito (da 2 a 3)."));
    expect(await get().knex('censimento_invii').where({ codice_istat: BREMBIO }).first('origine', 'inviato_da')).toEqual({ origine: 'ufficio', inviato_da: 'udp@test.example' });
    const a = await get().knex('audit').where({ azione: 'censimento_inviato' }).orderBy('id', 'desc').first('email', 'dettagli');
    expect(a.email).toBe('udp@test.example');
    expect(a.dettagli).toMatchObject({ codice_istat: BREMBIO, per_conto_del_comune: true });
  });

  test('role rules: a comune cannot read or submit another comune\'s form, by page or by API', async () => {
    const altro = await signedIn(ctx, server.url, u.brembio);
    expect((await altro.browser.get(`/censimento/comuni/${LODI}`)).status).toBe(403);
    expect((await altro.browser.post(`/censimento/comuni/${LODI}`, { _csrf: altro.csrf, azione: 'invia', cartelle_attive: '1' })).status).toBe(403);
    expect((await altro.browser.get(`/api/censimento/comuni/${LODI}`)).status).toBe(403);
    expect((await altro.browser.request('POST', `/api/censimento/comuni/${LODI}`, { json: { _csrf: altro.csrf, invia: true, cartelle_attive: 1 } })).status).toBe(403);
    expect((await altro.browser.get(`/censimento/comuni/${LODI}/storico`)).status).toBe(403);
    expect((await altro.browser.get(`/censimento/giri/${giro}`)).status).toBe(403);
    expect((await altro.browser.get(`/api/censimento/giri/${giro}`)).status).toBe(403);
    // Lodi's own data are unchanged; its own API answers.
    expect((await get().knex('censimento').where({ codice_istat: LODI, data_riferimento: E }).first()).cartelle_attive).toBe(12);
    const own = await getAs('lodi', `/api/censimento/comuni/${LODI}`);
    expect(own.status).toBe(200);
    const j = JSON.parse(own.text);
    expect([j.siz.cartelle_attive, j.dichiarazione.cartelle_attive, j.dichiarazione.stato]).toEqual([6, 12, 'inviata']);
    // Through the API, validation answers 422 with the field's message.
    const lodi = await signedIn(ctx, server.url, u.lodi);
    const api = await lodi.browser.request('POST', `/api/censimento/comuni/${LODI}`, { json: { _csrf: lodi.csrf, invia: true, cartelle_attive: 12, cartelle_aperte_periodo: 13 } });
    expect([api.status, JSON.parse(api.text).errori]).toEqual([422, { cartelle_aperte_periodo: MSG.nuoveAttive }]);
  });

  test('the board: the states, the submission, the warnings, digitalization new vs previous; filters and CSV', async () => {
    const j = JSON.parse((await getAs('udp', `/api/censimento/giri/${giro}`)).text);
    expect(j.comuni.map((r: any) => [r.comune, r.stato, r.siz, r.dichiarato, r.precedente, r.digit_nuova, r.digit_precedente])).toEqual([
      ['Brembio', 'inviato', 0, 5, 4, 0, 0],
      ['Lodi', 'inviato', 6, 12, 10, 50, 60],
      ["Sant'Angelo Lodigiano", 'non_aperto', 0, null, 8, null, 0],
    ]);
    const page = await getAs('udp', `/censimento/giri/${giro}?stato=non_aperto`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Comuni del censimento (1)');
    // After the deadline the comune that has not answered is late.
    clock.set('2026-12-16T09:00:00Z');
    const late = JSON.parse((await getAs('udp', `/api/censimento/giri/${giro}?stato=in_ritardo`)).text);
    expect(late.comuni.map((r: any) => r.codice_istat)).toEqual([SANTANGELO]);
    const csv = await getAs('udp', `/api/censimento/giri/${giro}?formato=csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = csv.text.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('codice_istat;comune;stato;inviato_il;inviato_da;origine;invii;avvisi;cartelle_siz;cartelle_dichiarate;cartelle_precedenti;digit_nuova;digit_precedente');
    expect(lines[2]).toMatch(/^098031;Lodi;Inviato;[^;]+;comune@lodi\.example;modulo;2;;6;12;10;50;60$/);
    expect(lines[3]).toBe("098047;Sant'Angelo Lodigiano;In ritardo;;;;0;;0;;8;;0");
  });

  test('after the deadline a comune may no longer amend (the office still may, on its behalf); extend reopens it; close stops everything', async () => {
    const r = await postAs('lodi', `/censimento/comuni/${LODI}`, { azione: 'invia', cartelle_attive: '11', utenti_in_carico: '24' });
    expect(r.status).toBe(409);
    expect(r.text).toContain(esc("La scadenza del 15/12/2026 è passata: per correggere la dichiarazione scrivete all'Ufficio di Piano."));
    // The office still corrects it on the comune's behalf.
    expect((await postAs('udp', `/censimento/comuni/${LODI}`, { azione: 'invia', cartelle_attive: '12', utenti_in_carico: '25' })).status).toBe(303);
    expect(await get().knex('censimento_invii').where({ codice_istat: LODI }).orderBy('id', 'desc').first('origine', 'utenti_in_carico')).toEqual({ origine: 'ufficio', utenti_in_carico: 25 });
    const pr = await postAs('udp', `/censimento/giri/${giro}/proroga`, { data_scadenza: '2026-12-31' });
    expect(pr.status).toBe(303);
    expect((await get().knex('scadenze').where({ tipo: 'censimento' }).distinct('data_scadenza')).map((x) => x.data_scadenza)).toEqual(['2026-12-31']);
    expect((await postAs('lodi', `/censimento/comuni/${LODI}`, { azione: 'invia', cartelle_attive: '11', utenti_in_carico: '24' })).status).toBe(303);
    expect((await postAs('udp', `/censimento/giri/${giro}/chiudi`, {  })).status).toBe(303);
    expect(await get().knex('scadenze').where({ tipo: 'censimento', codice_istat: SANTANGELO }).first('chiusa')).toEqual({ chiusa: true });
    const dopo = await getAs('lodi', `/censimento/comuni/${LODI}`);
    expect(dopo.text).toContain("Non c'è un censimento aperto per questo comune.");
    expect((await postAs('lodi', `/censimento/comuni/${LODI}`, { azione: 'invia', cartelle_attive: '11' })).status).toBe(409);
  });
});
