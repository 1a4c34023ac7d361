/**
 * The analysis pages over HTTP on the hand-made ambito of test/analisi/dati.ts: the page, its
 * JSON and CSV twins carry the same figures; a comune account gets its own comune only; the
 * office's menu lists the pages; a wrong parameter is a 400 naming the allowed values.
 */
import fs from 'node:fs';
import { describeDb } from '../support/db';
import { createUser } from '../../server/auth/utenti';
import { Browser, signedIn, startServer, testContext, TestServer } from '../auth/helpers';
import { AL, BREMBIO, caricaAnalisi, DAL, LODI } from './dati';

describeDb('analisi sul web', (get) => {
  let ctx: ReturnType<typeof testContext>;
  let server: TestServer;
  let udp: Browser;
  let brembio: Browser;

  beforeAll(async () => {
    const db = get();
    await caricaAnalisi(db);
    ctx = testContext(db);
    const pw = 'password-dei-test-2026';
    server = await startServer(ctx);
    udp = (await signedIn(ctx, server.url, (await createUser(db, { email: 'udp@test.example', ruolo: 'udp', password: pw })).utente)).browser;
    brembio = (await signedIn(ctx, server.url, (await createUser(db, { email: 'brembio@test.example', ruolo: 'comune', codice_istat: BREMBIO, password: pw })).utente)).browser;
  });

  afterAll(async () => {
    await server?.close();
    if (ctx) fs.rmSync(ctx.dataDir, { recursive: true, force: true });
  });

  const periodo = `dal=${DAL}&al=${AL}`;

  test('saldo: la pagina (tabella scorrevole, avviso con il link alla qualità), il JSON e il CSV dicono gli stessi numeri', async () => {
    const html = (await udp.get(`/analisi/saldo?${periodo}`)).text;
    expect(html).toContain('<div class="table-responsive">');
    expect(html).toContain('Il saldo quadra');
    expect(html).toContain('href="/qualita?controllo&#x3D;date_incoerenti#sezione-risultati"'); // = escaped by Handlebars
    expect(html).toMatch(/<tr class="fw-bold"><td>Tutto l&#x27;ambito<\/td><td><\/td><td class="num text-end">8<\/td><td class="num text-end">4<\/td><td class="num text-end">4<\/td><td class="num text-end">8<\/td><td class="num text-end">3<\/td><td class="num text-end">2<\/td><\/tr>/);
    const doc = JSON.parse((await udp.get(`/api/analisi/saldo?${periodo}`)).text);
    expect(doc.tabelle[0].righe.find((r: { codice_istat: string }) => r.codice_istat === LODI)).toMatchObject({ aperte_inizio: 4, aperte_periodo: 2, chiuse_periodo: 3, aperte_fine: 3 });
    const csv = (await udp.get(`/api/analisi/saldo?${periodo}&formato=csv&tabella=comuni`)).text.replace(/^\ufeff/, '').split('\r\n');
    expect(csv[0]).toBe("Comune;Codice ISTAT;Aperte all'inizio;Aperte nel periodo;Chiuse nel periodo;Aperte alla fine;Non contate: date incoerenti;Escluse: solo pasti e trasporti");
    expect(csv).toContain('Brembio;098010;4;2;1;5;2;0');
    expect(csv).toContain('Lodi;098031;4;2;3;3;1;2');
    expect(csv).toContain("Tutto l'ambito;;8;4;4;8;3;2");
  });

  test('un comune: solo il proprio comune, nessun filtro di selezione; un altro comune è 403', async () => {
    const doc = JSON.parse((await brembio.get(`/api/analisi/saldo?${periodo}`)).text);
    expect(doc.selezione).toBe('Comune di Brembio');
    expect(doc.tabelle[0].righe.map((r: { codice_istat: string }) => r.codice_istat)).toEqual([BREMBIO]);
    expect((await brembio.get(`/api/analisi/saldo?comune=${LODI}`)).status).toBe(403);
    expect((await brembio.get('/api/analisi/carico?cluster=6')).status).toBe(403);
    const html = (await brembio.get(`/analisi/carico?${periodo}`)).text;
    expect(html).not.toContain('id="f-comune"');
    expect(html).toContain('Paolo Neri');
    expect(html).not.toContain('Luca Bianchi'); // an operatore of Lodi
    const carico = JSON.parse((await brembio.get(`/api/analisi/carico?${periodo}`)).text);
    expect(carico.distribuzione).toEqual({ operatori: 2, mediana: 2.5, quartile_superiore: 4, massimo: 4, nel_quartile_superiore: 1 });
  });

  test("un operatore non apre le analisi (403), né la pagina né l'API né il CSV", async () => {
    const op = (await signedIn(ctx, server.url, (await createUser(get(), { email: 'operatore@test.example', ruolo: 'operatore', operatore_id: 'OP1', password: 'password-dei-test-2026' })).utente)).browser;
    for (const path of ['/analisi/saldo', '/analisi/carico', '/api/analisi/saldo', '/api/analisi/carico', `/api/analisi/carico?${periodo}&formato=csv&tabella=operatori`]) {
      expect([path, (await op.get(path)).status]).toEqual([path, 403]);
    }
  });

  test('un comune non riceve nessuna cella di un altro comune: pagina, JSON e ogni CSV delle due analisi', async () => {
    const uscite: string[] = [];
    for (const [path, tabelle] of [['/analisi/saldo', ['comuni']], ['/analisi/carico', ['operatori', 'distribuzione', 'senza_email']]] as const) {
      uscite.push((await brembio.get(`${path}?${periodo}`)).text, (await brembio.get(`/api${path}?${periodo}`)).text);
      for (const t of tabelle) uscite.push((await brembio.get(`/api${path}?${periodo}&formato=csv&tabella=${t}`)).text);
    }
    for (const testo of uscite) {
      expect(testo).not.toContain(LODI);
      expect(testo).not.toMatch(/Tutto l(&#x27;|')ambito/);
      expect(testo).not.toContain('Luca Bianchi');
    }
    // OP1 holds 2 cartelle in Lodi too: Brembio sees only its own 1 (distribution included).
    const carico = JSON.parse((await brembio.get(`/api/analisi/carico?${periodo}`)).text);
    expect(carico.tabelle.find((t: { id: string }) => t.id === 'distribuzione').righe.find((r: { operatore_id: string }) => r.operatore_id === 'OP1')).toMatchObject({ aperte: 1, comuni: 1 });
  });

  test('carico: la pagina e il CSV degli operatori senza email', async () => {
    const html = (await udp.get(`/analisi/carico?${periodo}`)).text;
    expect(html).toMatch(/Mediana delle cartelle aperte<\/dt><dd class="col-5 col-md-3">1,5<\/dd>/);
    expect(html).toMatch(/Soglia del quartile superiore<\/dt><dd class="col-5 col-md-3">2<\/dd>/);
    const csv = (await udp.get(`/api/analisi/carico?${periodo}&formato=csv&tabella=senza_email`)).text.replace(/^\ufeff/, '').split('\r\n');
    expect(csv.slice(0, 4)).toEqual(['Operatore (id);Nome;Comune in operatori.csv;Cartelle aperte al 28/02/2026', `OP2;Luca Bianchi;${LODI};1`, `OP3;Anna Verdi;${BREMBIO};0`, 'OP4;non presente in operatori.csv;;1']);
  });

  test('menu: le due pagine per l\'ufficio e per il comune', async () => {
    for (const b of [udp, brembio]) {
      const html = (await b.get('/analisi/saldo')).text;
      expect(html).toContain('href="/analisi/saldo"');
      expect(html).toContain('href="/analisi/carico"');
    }
  });

  test('parametri sbagliati: 400 con i valori ammessi', async () => {
    const r = await udp.get('/api/analisi/carico?tabella=operatori');
    expect(r.status).toBe(400);
    expect(r.text).toContain('«tabella» si usa con formato=csv');
    const t = await udp.get('/api/analisi/carico?formato=csv&tabella=tutte');
    expect(t.status).toBe(400);
    expect(t.text).toContain('«tabella» può valere «operatori», «distribuzione», «senza_email»');
    const d = await udp.get('/analisi/saldo?distretto=Milano');
    expect(d.status).toBe(400);
    expect(d.text).toContain('«distretto» può valere «Casalpusterlengo», «Lodi»');
  });
});
