/**
 * The deadline board, the office's forms (create, edit, close, reopen, mark done, with CSRF),
 * the outbox page with its preview, the JSON/CSV twins, `cruscotto report posta`, and the
 * "presa visione" link (GET shows a confirmation page and records nothing, the POST of its button
 * records once; tampered, unknown and expired links refused),
 * against the real app on a real database. SMTP_URL is unset: messages stay in the outbox.
 */
import fs from 'node:fs';
import { createUser } from '../../server/auth/utenti';
import type { Utente } from '../../server/auth/tipi';
import { postaCommands } from '../../server/cli/posta';
import { parseArgs } from '../../server/cli/args';
import type { CliIO } from '../../server/cli/tipi';
import { CSP_ANTEPRIMA } from '../../server/posta/anteprima';
import { firmaLink } from '../../server/promemoria/presa-visione';
import { runPromemoria } from '../../server/promemoria/service';
import { Browser, inlineViolations, mutableClock, signedIn, startServer, testContext, TestServer } from '../auth/helpers';
import { describeDb, truncateAll } from '../support/db';
import { BREMBIO, comuniConContatti, importaCensimento, importaSiz, LODI, riconcilia, SANTANGELO, scadenza } from '../promemoria/piano';

describeDb('scadenze e posta sul web', (get) => {
  let ctx: ReturnType<typeof testContext> & { clock: ReturnType<typeof mutableClock> };
  let server: TestServer;
  const u = {} as Record<'udp' | 'lodi', Utente>;
  const ids = {} as Record<'lodi' | 'brembio', number>;

  beforeAll(async () => {
    const db = get();
    await truncateAll(db);
    ctx = testContext(db, { clock: mutableClock('2026-11-23T09:00:00Z') }) as typeof ctx;
    await comuniConContatti(db);
    await importaCensimento(db, '2026-06-30', { [LODI]: 10 });
    await importaSiz(db, '2026-11-20', { [LODI]: 5 });
    await riconcilia(ctx, '2026-11-23');
    ids.lodi = await scadenza(db, { codice_istat: LODI, tipo: 'caricamento', data_scadenza: '2026-12-01', descrizione: 'Caricamento arretrato' });
    ids.brembio = await scadenza(db, { codice_istat: BREMBIO, tipo: 'credenziali', data_scadenza: '2026-11-30' });
    u.udp = (await createUser(db, { email: 'udp@ufficio.example', ruolo: 'udp', password: 'password-dei-test-2026' })).utente;
    u.lodi = (await createUser(db, { email: 'sindaco@lodi.example', ruolo: 'comune', codice_istat: LODI, password: 'password-dei-test-2026' })).utente;
    // Today (Mon 23 Nov) Brembio's -7 occasion is due; Lodi's latest due is the -14 of 17 Nov.
    const e = await runPromemoria(ctx, { oggi: '2026-11-23' });
    expect([e.accodati, e.consegna.inviati]).toEqual([3, 0]);
    server = await startServer(ctx);
  });
  afterAll(async () => {
    await server?.close();
    if (ctx) fs.rmSync(ctx.dataDir, { recursive: true, force: true });
  });

  const as = async (who: 'udp' | 'lodi') => signedIn(ctx, server.url, u[who]);
  const linkOf = async (destinatario: string) => {
    const testo = (await get().knex('posta').where({ destinatario }).first('testo')).testo as string;
    return new URL(testo.match(/http:\/\/localhost:3000\/presa-visione\/\S+/)![0]).pathname;
  };
  const api = async (who: 'udp' | 'lodi') => {
    const { browser } = await as(who);
    return JSON.parse((await browser.get('/api/scadenze?vista=tutte')).text) as { scadenze: Record<string, unknown>[] };
  };

  test('the board: state, figures, reminders in the outbox, for the UdP', async () => {
    const { browser } = await as('udp');
    const page = await browser.get('/scadenze');
    expect(page.status).toBe(200);
    expect(inlineViolations(page.text)).toEqual([]);
    expect(page.text).toContain('Lodi');
    expect(page.text).toContain('A rischio');
    expect(page.text).toContain('name="_csrf"');
    const { scadenze } = await api('udp');
    const lodi = scadenze.find((s) => s.id === ids.lodi)!;
    // 5 of 10 = 50%; ceil(8) - 5 = 3; one reconciliation run only: no forecast -> a rischio.
    expect([lodi.stato, lodi.digit_tot, lodi.mancanti_obiettivo, lodi.promemoria_in_coda, lodi.promemoria_inviati, lodi.prossimo_promemoria]).toEqual(['a_rischio', 50, 3, 2, 0, '2026-11-24']);
    expect(lodi.destinatari).toEqual(['sociale@comune.lodi.example', 'segreteria@comune.lodi.example']);
    const brembio = scadenze.find((s) => s.id === ids.brembio)!;
    expect([brembio.stato, brembio.prese_visione, brembio.promemoria_in_coda]).toEqual(['da_fare', 0, 1]);
  });

  test("a comune's account sees its own deadlines only, and not the outbox", async () => {
    const { scadenze } = await api('lodi');
    expect(scadenze.map((s) => s.id)).toEqual([ids.lodi]);
    expect(scadenze[0]).not.toHaveProperty('destinatari');
    const { browser } = await as('lodi');
    expect((await browser.get(`/scadenze/${ids.lodi}`)).status).toBe(200);
    expect((await browser.get(`/scadenze/${ids.brembio}`)).status).toBe(404);
    expect((await browser.get('/posta')).status).toBe(403);
    const page = await browser.get('/scadenze');
    expect(page.text).not.toContain('Nuova scadenza');
    expect((await browser.post('/scadenze', { _csrf: (await as('lodi')).csrf, codice_istat: LODI, tipo: 'altro', data_scadenza: '2027-01-01' })).status).toBe(403);
  });

  test('create, validate, edit, close, reopen, mark done', async () => {
    const { browser, csrf } = await as('udp');
    const db = get();
    // Without the CSRF token: refused.
    expect((await browser.post('/scadenze', { codice_istat: SANTANGELO, tipo: 'censimento', data_scadenza: '2027-01-15' })).status).toBe(403);

    const bad = await browser.post('/scadenze', { _csrf: csrf, codice_istat: '999999', tipo: 'boh', data_scadenza: '2027-02-30', obiettivo: '120', email: 'non-una-mail, ok@comune.example' });
    expect(bad.status).toBe(422);
    for (const t of ["Comune 999999 non presente nell&#x27;anagrafica.", 'Tipo non valido', 'Data non valida', 'percentuale maggiore di 0 e al massimo 100', 'Indirizzi non validi: non-una-mail.']) expect(bad.text).toContain(t);

    const ok = await browser.post('/scadenze', { _csrf: csrf, codice_istat: SANTANGELO, tipo: 'censimento', data_scadenza: '2027-01-15', descrizione: 'Restituire il censimento 2026', email: '' });
    expect(ok.status).toBe(303);
    const id = Number(ok.location!.match(/^\/scadenze\/(\d+)\?esito=creata$/)![1]);
    expect((await browser.get(ok.location!)).text).toContain('Scadenza creata.');
    expect(await db.knex('scadenze').where({ id }).first('codice_istat', 'tipo', 'data_scadenza', 'descrizione', 'email', 'obiettivo')).toEqual({ codice_istat: SANTANGELO, tipo: 'censimento', data_scadenza: '2027-01-15', descrizione: 'Restituire il censimento 2026', email: null, obiettivo: null });
    expect((await browser.post('/scadenze', { _csrf: csrf, codice_istat: SANTANGELO, tipo: 'censimento', data_scadenza: '2027-01-15' })).text).toContain('Esiste già una scadenza');

    const edit = await browser.post(`/scadenze/${id}`, { _csrf: csrf, codice_istat: SANTANGELO, tipo: 'censimento', data_scadenza: '2027-01-20', descrizione: 'Restituire il censimento 2026', email: 'A@x.example; b@y.example' });
    expect([edit.status, edit.location]).toEqual([303, `/scadenze/${id}?esito=salvata`]);
    expect(await db.knex('scadenze').where({ id }).first('data_scadenza', 'email')).toEqual({ data_scadenza: '2027-01-20', email: 'a@x.example, b@y.example' });

    expect((await browser.post(`/scadenze/${id}/chiudi`, { _csrf: csrf })).status).toBe(303);
    expect((await db.knex('scadenze').where({ id }).first('chiusa')).chiusa).toBe(true);
    const chiuse = await browser.get('/scadenze?vista=chiuse');
    expect(chiuse.text).toContain(`/scadenze/${id}"`);
    expect((await browser.get('/scadenze')).text).not.toContain(`/scadenze/${id}"`);
    expect((await browser.post(`/scadenze/${id}/riapri`, { _csrf: csrf })).status).toBe(303);
    expect((await db.knex('scadenze').where({ id }).first('chiusa')).chiusa).toBe(false);

    // A caricamento is met by its figure, never by hand.
    expect((await browser.post(`/scadenze/${ids.lodi}/completa`, { _csrf: csrf })).status).toBe(404);
    expect((await browser.post(`/scadenze/${id}/completa`, { _csrf: csrf })).status).toBe(303);
    const s = (await api('udp')).scadenze.find((x) => x.id === id)!;
    expect(s.stato).toBe('completata');
    expect(await db.knex('audit').where('azione', 'like', 'scadenza_%').orderBy('id').pluck('azione')).toEqual(['scadenza_creata', 'scadenza_modificata', 'scadenza_chiusa', 'scadenza_riaperta', 'scadenza_completata']);
  });

  test('presa visione: opening the link (GET) records nothing; the button (POST) records it once, without login; shown on the board', async () => {
    const link = await linkOf('servizi.sociali@comune.brembio.example');
    const anon = new Browser(server.url);
    // A mail scanner opens the link twice: a confirmation page, nothing recorded.
    for (let i = 0; i < 2; i++) {
      const page = await anon.get(link);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Conferma la presa visione');
      expect(page.text).toContain(`<form method="post" action="${link}">`);
      expect(page.text).toContain('Confermo la presa visione</button>');
      expect(page.text).not.toContain('Presa visione registrata');
      expect(inlineViolations(page.text)).toEqual([]);
    }
    expect(await get().knex('prese_visione').count('* as n').first()).toEqual({ n: 0 });
    expect(await get().knex('audit').where({ azione: 'presa_visione' }).count('* as n').first()).toEqual({ n: 0 });
    // The person presses the button.
    const first = await anon.post(link, {});
    expect(first.status).toBe(200);
    expect(first.text).toContain('Presa visione registrata');
    expect(await get().knex('audit').where({ azione: 'presa_visione' }).count('* as n').first()).toEqual({ n: 1 });
    const again = await anon.post(link, {});
    expect(again.status).toBe(409);
    expect(again.text).toContain('Presa visione già registrata');
    const reopened = await anon.get(link);
    expect([reopened.status, reopened.text.includes('Presa visione già registrata'), reopened.text.includes('<form')]).toEqual([409, true, false]);
    expect(await get().knex('prese_visione').select('scadenza_id', 'destinatario', 'codice_istat')).toEqual([{ scadenza_id: ids.brembio, destinatario: 'servizi.sociali@comune.brembio.example', codice_istat: BREMBIO }]);
    const brembio = (await api('udp')).scadenze.find((s) => s.id === ids.brembio)!;
    expect([brembio.prese_visione, brembio.stato]).toEqual([1, 'in_corso']);
    const { browser } = await as('udp');
    expect((await browser.get(`/scadenze/${ids.brembio}`)).text).toContain('servizi.sociali@comune.brembio.example');
  });

  test('presa visione: a tampered, forged or expired link is refused with a clear page', async () => {
    const link = await linkOf('sociale@comune.lodi.example');
    const token = link.split('/').pop()!;
    const [payload, sig] = token.split('.');
    const anon = new Browser(server.url);
    const flip = (s: string) => s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A');
    const other = (await linkOf('segreteria@comune.lodi.example')).split('/').pop()!.split('.')[0];
    const forged = firmaLink(Buffer.alloc(32, 7), `promemoria:${ids.lodi}:2026-11-17:sociale@comune.lodi.example`, new Date('2027-01-01'));
    for (const t of [`${payload}.${flip(sig)}`, `${other}.${sig}`, `${flip(payload)}.${sig}`, 'abc', forged]) {
      for (const r of [await anon.get(`/presa-visione/${t}`), await anon.post(`/presa-visione/${t}`, {})]) {
        expect([t, r.status]).toEqual([t, 400]);
        expect(r.text).toContain('Link non valido');
      }
    }
    ctx.clock.advance(61 * 86_400_000); // valid for 60 days
    try {
      for (const r of [await anon.get(link), await anon.post(link, {})]) {
        expect(r.status).toBe(410);
        expect(r.text).toContain('Link scaduto');
      }
    } finally {
      ctx.clock.advance(-61 * 86_400_000);
    }
    expect(await get().knex('prese_visione').where({ scadenza_id: ids.lodi }).count('* as n').first()).toEqual({ n: 0 });
  });

  test('the outbox page, a message with its rendered preview, the JSON and CSV twins', async () => {
    const { browser } = await as('udp');
    const page = await browser.get('/posta');
    expect(page.status).toBe(200);
    expect(inlineViolations(page.text)).toEqual([]);
    expect(page.text).toContain('SMTP_URL');
    const json = JSON.parse((await browser.get('/api/posta')).text);
    expect(json.messaggi.map((m: Record<string, unknown>) => [m.destinatario, m.stato, m.tipo, m.tentativi])).toEqual([
      ['servizi.sociali@comune.brembio.example', 'in_attesa', 'promemoria', 0], // the nearer deadline first
      ['sociale@comune.lodi.example', 'in_attesa', 'promemoria', 0],
      ['segreteria@comune.lodi.example', 'in_attesa', 'promemoria', 0],
    ]);
    expect(Object.keys(json.messaggi[0]).sort()).toEqual(['codice_istat', 'creato_il', 'destinatario', 'id', 'inviato_il', 'oggetto', 'prossimo_tentativo', 'riferimento', 'stato', 'tentativi', 'tipo', 'ultimo_errore']);
    expect(json.messaggi[1].riferimento).toBe(`scadenza ${ids.lodi}, 14 giorni prima`);
    const id = json.messaggi[1].id as number;

    const msg = await browser.get(`/posta/${id}`);
    expect(msg.status).toBe(200);
    expect(inlineViolations(msg.text)).toEqual([]);
    expect(msg.text).toContain(`src="/posta/${id}/anteprima"`);
    expect(msg.text).toContain("il 50% delle cartelle dichiarate è in SIZ (5 su 10)");
    const prev = await browser.get(`/posta/${id}/anteprima`);
    expect(prev.status).toBe(200);
    expect(prev.headers.get('content-security-policy')).toBe(CSP_ANTEPRIMA);
    expect(inlineViolations(prev.text)).toEqual([]);
    expect(prev.text).not.toContain('/presa-visione/');
    expect(prev.text).toContain(`<link rel="stylesheet" href="/posta/${id}/anteprima.css">`);
    expect(prev.text).toContain('Apri la scheda del comune');
    const css = await browser.get(`/posta/${id}/anteprima.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(css.text).toMatch(/^\.s1\{/);

    const csv = await browser.get('/api/posta?formato=csv');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe('id;tipo;codice_istat;destinatario;oggetto;stato;tentativi;creato_il;inviato_il;riferimento;prossimo_tentativo;ultimo_errore');
    expect(csv.text.split('\r\n').filter(Boolean)).toHaveLength(4);

    const { csrf } = await as('udp');
    const b2 = (await as('udp')).browser;
    expect((await b2.post(`/posta/${id}/reinvia`, { _csrf: csrf })).status).toBe(403); // another session's token
    const own = await as('udp');
    expect((await own.browser.post(`/posta/${id}/reinvia`, { _csrf: own.csrf })).status).toBe(409); // still waiting: nothing to resend
  });

  test('cruscotto report posta --json: the messages as in docs/interfacce.md', async () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: () => undefined, progress: () => undefined, config: ctx.config, context: async () => ctx } as CliIO;
    const cmd = postaCommands.find((c) => c.words.join(' ') === 'report posta')!;
    expect(await cmd.run(parseArgs(['--json'], cmd.booleans), io)).toBe(0);
    const doc = JSON.parse(out.join('\n'));
    const { browser } = await as('udp');
    expect(doc).toEqual(JSON.parse((await browser.get('/api/posta')).text));
    expect(doc.messaggi[0]).toMatchObject({ tipo: 'promemoria', codice_istat: BREMBIO, destinatario: 'servizi.sociali@comune.brembio.example', stato: 'in_attesa', tentativi: 0, inviato_il: null, riferimento: `scadenza ${ids.brembio}, 7 giorni prima` });
    out.length = 0;
    expect(await cmd.run(parseArgs([], cmd.booleans), io)).toBe(0);
    expect(out[0]).toBe('Posta in uscita: 3 messaggi (in attesa 3, inviati 0, da ritentare 0, scartati 0). SMTP_URL non impostato: nulla viene spedito.');
  });

  test('closing a deadline withdraws its pending reminders, with the reason', async () => {
    const { browser, csrf } = await as('udp');
    expect((await browser.post(`/scadenze/${ids.lodi}/chiudi`, { _csrf: csrf })).status).toBe(303);
    const e = await runPromemoria(ctx, { oggi: '2026-11-23' });
    expect(e.ritirati).toBe(2);
    const rows = await get().knex('posta').where({ scadenza_id: ids.lodi }).select('stato', 'ultimo_errore');
    expect(rows).toEqual([
      { stato: 'scartato', ultimo_errore: "ritirato: la scadenza è stata chiusa dall'Ufficio di Piano prima dell'invio" },
      { stato: 'scartato', ultimo_errore: "ritirato: la scadenza è stata chiusa dall'Ufficio di Piano prima dell'invio" },
    ]);
  });
});
