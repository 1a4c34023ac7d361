/**
 * /analisi/ripartizioni over HTTP on the hand-made sportello of test/analisi/ripartizioni-dati.ts:
 * the page, its JSON and CSV carry the same figures; every role opens it, outside the UdP the
 * ambito by year and the own comune only; dal/al where not allowed is a 400 in Italian; the
 * Sportello entry of the menu is followed by the breakdowns.
 */
import fs from 'node:fs';
import { describeDb } from '../support/db';
import { createUser } from '../../server/auth/utenti';
import { Browser, signedIn, startServer, testContext, TestServer } from '../auth/helpers';
import { BREMBIO, caricaRipartizioni, LODI } from './ripartizioni-dati';

describeDb('ripartizioni sul web', (get) => {
  let ctx: ReturnType<typeof testContext>;
  let server: TestServer;
  let udp: Browser;
  let brembio: Browser;
  let op: Browser;

  beforeAll(async () => {
    const db = get();
    await caricaRipartizioni(db);
    ctx = testContext(db);
    const pw = 'password-dei-test-2026';
    server = await startServer(ctx);
    udp = (await signedIn(ctx, server.url, (await createUser(db, { email: 'udp@test.example', ruolo: 'udp', password: pw })).utente)).browser;
    brembio = (await signedIn(ctx, server.url, (await createUser(db, { email: 'brembio@test.example', ruolo: 'comune', codice_istat: BREMBIO, password: pw })).utente)).browser;
    op = (await signedIn(ctx, server.url, (await createUser(db, { email: 'op@test.example', ruolo: 'operatore', operatore_id: 'OP1', password: pw })).utente)).browser;
  });

  afterAll(async () => {
    await server?.close();
    if (ctx) fs.rmSync(ctx.dataDir, { recursive: true, force: true });
  });

  test('Ufficio di Piano: pagina, JSON e CSV con gli stessi numeri; il menu porta alla pagina', async () => {
    const html = (await udp.get('/analisi/ripartizioni?anno=2025')).text;
    expect(html).toContain('<strong>Accessi:</strong> 9 · <strong>Persone distinte:</strong> 4');
    expect(html).toContain('href="/analisi/ripartizioni"');
    expect(html).toContain('data-grafico=');
    const doc = JSON.parse((await udp.get('/api/analisi/ripartizioni?anno=2025')).text);
    expect(doc.tabelle.map((t: { id: string }) => t.id)).toEqual(['punti', 'sesso', 'eta', 'nascita', 'prese_sesso', 'prese_eta', 'prese_nascita']);
    expect(html).toContain('<strong>Persone prese in carico:</strong> 0');
    expect((await udp.get('/api/analisi/ripartizioni?anno=2025&formato=csv&tabella=prese_eta')).text.replace(/^\ufeff/, '').split('\r\n')[0]).toBe("Fascia d'età;Persone prese in carico");
    const csv = (await udp.get('/api/analisi/ripartizioni?anno=2025&formato=csv&tabella=nascita')).text.replace(/^\ufeff/, '').split('\r\n');
    expect(csv[0]).toBe('Paese di nascita;Accessi;Persone');
    expect(csv.slice(1, 6)).toEqual(['Romania;3;1', 'Italia;2;1', 'Marocco;2;1', 'Non ricavabile (codice fiscale assente o non valido);2;1', 'Totale;9;4']);
    const sesso = (await udp.get(`/api/analisi/ripartizioni?dal=2025-01-01&al=2025-12-31&comune=${LODI}&formato=csv&tabella=sesso`)).text;
    expect(sesso).toContain('Femmine;4;2');
  });

  test("operatore e comune: l'ambito per anni interi (dal/al = 400 che spiega perché), il comune anche il proprio; altre selezioni 403", async () => {
    for (const b of [op, brembio]) {
      const r = await b.get('/api/analisi/ripartizioni?dal=2025-01-01&al=2025-06-30');
      expect(r.status).toBe(400);
      expect(r.text).toContain("riservati all'Ufficio di Piano");
      expect((await b.get(`/api/analisi/ripartizioni?anno=2025&comune=${LODI}`)).status).toBe(403);
      expect((await b.get('/api/analisi/ripartizioni?anno=2025&distretto=Lodi')).status).toBe(403);
      const doc = JSON.parse((await b.get('/api/analisi/ripartizioni?anno=2025')).text);
      expect(doc.selezione).toBe("Tutto l'ambito");
      // The ambito's accessi of 2025 have the fate they have on /sportello for the same account.
      const sportello = JSON.parse((await b.get('/api/sportello?anno=2025')).text);
      const totale = sportello.sintesi.find((s: { chiave: string }) => s.chiave === 'accessi').valore;
      expect(doc.totale.accessi).toBe(totale);
      // The people taken in charge: the fate they have on /sociali.
      const sociali = JSON.parse((await b.get('/api/sociali?anno=2025')).text);
      expect(doc.totale.prese_in_carico).toBe(sociali.sintesi.find((s: { chiave: string }) => s.chiave === 'prese_in_carico').valore);
      const csv = (await b.get('/api/analisi/ripartizioni?anno=2025&formato=csv&tabella=sesso')).text;
      if (totale === 'riservato') expect(csv.replace(/^\ufeff/, '')).toBe('Sesso;Accessi;Persone\r\nTotale;riservato;riservato\r\n');
      else expect(csv).toMatch(/<3|riservato/);
    }
    const proprio = JSON.parse((await brembio.get(`/api/analisi/ripartizioni?dal=2025-01-01&al=2025-12-31&comune=${BREMBIO}`)).text);
    expect(proprio.totale).toEqual({ accessi: 4, persone: 2, prese_in_carico: 0 });
    const html = (await op.get('/analisi/ripartizioni')).text;
    expect(html).not.toContain('id="f-dal"');
    expect((await op.get('/api/analisi/ripartizioni?anno=abc')).status).toBe(400);
  });

  test('«tutte» (ogni riga delle tabelle lunghe): 1 sulla pagina; altro valore, o sul gemello /api/, 400', async () => {
    const html = (await udp.get('/analisi/ripartizioni?anno=2025&tutte=1')).text;
    expect(html).toContain('<strong>Accessi:</strong> 9 · <strong>Persone distinte:</strong> 4');
    // The CSV and JSON links never carry the page's own parameter (the /api/ twin refuses it).
    expect(html).not.toMatch(/\/api\/analisi\/ripartizioni\?[^"]*tutte/);
    for (const [path, messaggio] of [
      ['/analisi/ripartizioni?anno=2025&tutte=2', '«tutte» vale 1'],
      ['/analisi/ripartizioni?anno=2025&tutte=', '«tutte» vale 1'],
      ['/api/analisi/ripartizioni?anno=2025&tutte=1', '«tutte» non è un parametro'],
    ]) {
      const r = await udp.get(path);
      expect(r.status).toBe(400);
      expect(r.text).toContain(messaggio);
    }
  });
});
