/**
 * The cruscotto over HTTP on the hand-made ambito (test/cruscotto/dati.ts), both engines:
 * suppression is the same in the page, the JSON twin and the CSV; the CSV is for Excel; every
 * wrong parameter is a 400 with an Italian message; exports are audited; a new import shows.
 */
import fs from 'node:fs';
import { describeDb } from '../support/db';
import { createUser } from '../../server/auth/utenti';
import type { Utente } from '../../server/auth/tipi';
import { Browser, signedIn, startServer, testContext, TestServer } from '../auth/helpers';
import { BREMBIO, caricaDati, LODI } from './dati';
import { avvisoNonAttribuiti } from '../../server/cruscotto/riferimenti';

describeDb('cruscotto sul web', (get) => {
  let ctx: ReturnType<typeof testContext>;
  let server: TestServer;
  let udp: Browser;
  let lodi: Browser;
  let operatore: Browser;

  beforeAll(async () => {
    const db = get();
    await caricaDati(db);
    ctx = testContext(db);
    const pw = 'password-dei-test-2026';
    const u: Record<string, Utente> = {
      udp: (await createUser(db, { email: 'udp@test.example', ruolo: 'udp', password: pw })).utente,
      lodi: (await createUser(db, { email: 'lodi@test.example', ruolo: 'comune', codice_istat: LODI, password: pw })).utente,
      op: (await createUser(db, { email: 'op@test.example', ruolo: 'operatore', operatore_id: 'OP9', password: pw })).utente,
    };
    server = await startServer(ctx);
    udp = (await signedIn(ctx, server.url, u.udp)).browser;
    lodi = (await signedIn(ctx, server.url, u.lodi)).browser;
    operatore = (await signedIn(ctx, server.url, u.op)).browser;
  });

  afterAll(async () => {
    await server?.close();
    if (ctx) fs.rmSync(ctx.dataDir, { recursive: true, force: true });
  });

  const json = async (b: Browser, p: string) => {
    const r = await b.get(p);
    expect([p, r.status]).toEqual([p, 200]);
    return JSON.parse(r.text);
  };
  const rigaBrembio = (doc: { tabelle: { id: string; righe: Record<string, unknown>[] }[] }) => doc.tabelle.find((t) => t.id === 'comuni')!.righe.find((r) => r.codice_istat === BREMBIO)!;

  test('piccoli numeri: <3 per l\'account di un altro comune nella pagina, nel JSON e nel CSV; il numero per l\'UdP', async () => {
    const path = '/sportello?anno=2025';
    expect(rigaBrembio(await json(udp, `/api${path}`)).accessi).toBe(2);
    expect(rigaBrembio(await json(lodi, `/api${path}`)).accessi).toBe('<3');
    expect(rigaBrembio(await json(operatore, `/api${path}`)).accessi).toBe('<3');

    const cella = (html: string) => html.match(/<a href="\/comuni\/098010">Brembio<\/a><\/th><td class="num">6<\/td><td class="num( soppressa)?">([^<]*)<\/td>/)?.[2];
    expect(cella((await udp.get(path)).text)).toBe('2');
    expect(cella((await lodi.get(path)).text)).toBe('&lt;3');

    const csvUdp = (await udp.get(`/api${path}&formato=csv&tabella=comuni`)).text;
    const csvLodi = (await lodi.get(`/api${path}&formato=csv&tabella=comuni`)).text;
    expect(csvUdp.split('\r\n')).toContain('Brembio;6;2;2;100');
    expect(csvLodi.split('\r\n')).toContain('Brembio;6;<3;<3;riservato');
    // Cluster 6 minus Lodi's own 4 would give Brembio's 2: withheld for Lodi's account, in every form.
    const gruppi = await json(lodi, `/api${path}`);
    expect(gruppi.tabelle.find((t: { id: string }) => t.id === 'gruppi').righe[0]).toMatchObject({ comuni: 1, accessi: 0 });
    const cl6 = gruppi.tabelle.find((t: { id: string }) => t.id === 'gruppi').righe.find((r: { gruppo: string }) => r.gruppo.startsWith('Cluster 6'));
    expect(cl6.accessi).toBe('riservato');
    expect((await lodi.get(`/api${path}&formato=csv&tabella=gruppi`)).text).toContain('Cluster 6 (meno di 1.000 abitanti);2;riservato;riservato;');
    expect((await lodi.get(path)).text).toContain('riservato');
  });

  test('CSV per Excel: BOM, separatore ;, intestazioni italiane, virgola decimale, a capo CRLF; esportazione registrata', async () => {
    const r = await udp.get('/api/economici?anno=2025&formato=csv&tabella=prestazioni');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toContain('economici-prestazioni.csv');
    // fetch's text() drops a BOM: look at the bytes.
    const grezzo = Buffer.from(await (await fetch(`${server.url}/api/economici?anno=2025&formato=csv&tabella=prestazioni`, { headers: { cookie: [...udp.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } })).arrayBuffer());
    expect([...grezzo.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const righe = r.text.split('\r\n');
    expect(righe[0]).toBe('Codice;Prestazione;N. prestazioni;Costo;A carico del comune;Media per prestazione;Recuperi;Rec. assistito;Rec. famiglia;Rec. altri enti;Rec. altri');
    expect(righe[1]).toBe('A1.04;Contributi economici a integrazione del reddito;3;350;280;93,33;70;20;0;40;10');
    expect(righe.at(-1)).toBe('');
    const audit = await get().knex('audit').where({ azione: 'esportazione' }).orderBy('id', 'desc').first();
    expect(JSON.parse(typeof audit.dettagli === 'string' ? audit.dettagli : JSON.stringify(audit.dettagli))).toMatchObject({ pagina: '/api/economici', formato: 'csv', tabella: 'prestazioni' });
  });

  test.each([
    ['/api/sportello?anno=20x', 'anno: indicare un anno di quattro cifre'],
    ['/api/sportello?anno=2099', 'anno: indicare un anno tra 2000 e 2026'],
    ['/api/sportello?comune=099999', 'il comune 099999 non è tra i comuni attivi'],
    ['/api/sportello?ultimo=anno', 'ultimo: cluster, distretto oppure comune'],
    ['/api/sportello?distretto=Milano', 'distretto "Milano" sconosciuto'],
    ['/api/sportello?area=bambini', "l'area utenza è una tra minori, adulti, anziani, non_indicata"],
    ['/api/sportello?anno=2025&anno=2024', '"anno" è ripetuto'],
    ['/api/sportello?colore=blu', '"colore" non è un filtro di questa pagina'],
    ['/api/sportello?tabella=motivi', '"tabella" si usa con formato=csv'],
    ['/api/sportello?formato=xml', 'il formato è json oppure csv'],
    ['/api/mese?mese=2026-13', 'il mese si scrive AAAA-MM'],
    ['/api/mese?mese=2027-01', 'indicare un mese tra 2000-01 e 2026-11'],
    ['/api/sociali?motivo=LAVORO', '"motivo" non è un filtro di questa pagina'],
    ['/api/economici?formato=csv&tabella=nessuna', 'tabella "nessuna" non esiste in questa pagina'],
    ['/api/comuni/12345', 'il comune è un codice ISTAT di 6 cifre'],
    ['/api/qualita?controllo=inventato', 'controllo "inventato" sconosciuto'],
  ])('%s → 400 con un messaggio in italiano', async (path, messaggio) => {
    const r = await udp.get(path);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).errore).toContain(messaggio);
  });

  test('ogni pagina di famiglia ha i riquadri della digitalizzazione: ambito, tutela, cluster o distretto della selezione', async () => {
    const pano = JSON.parse((await udp.get('/api/panoramica')).text);
    const cluster6 = pano.tabelle.find((t: { id: string }) => t.id === 'cluster').righe.find((r: { gruppo: string }) => r.gruppo.startsWith('Cluster 6'));
    const val = (d: { riferimenti: { chiave: string; valore: unknown }[] }) => Object.fromEntries(d.riferimenti.map((r) => [r.chiave, r.valore]));
    const ambito = { rif_ambito: pano.sintesi.find((s: { chiave: string }) => s.chiave === 'digit_ambito').valore, rif_ambito_tutela: pano.sintesi.find((s: { chiave: string }) => s.chiave === 'digit_ambito_tutela').valore };
    for (const p of ['sportello', 'sociali', 'economici', 'mese']) {
      expect([p, val(JSON.parse((await udp.get(`/api/${p}`)).text))]).toEqual([p, ambito]);
      expect([p, val(JSON.parse((await udp.get(`/api/${p}?cluster=6`)).text))]).toEqual([p, { ...ambito, rif_cluster: cluster6.digit, rif_cluster_tutela: cluster6.digit_tutela }]);
    }
    const perDistretto = val(JSON.parse((await udp.get(`/api/sociali?comune=${LODI}&vista=distretto`)).text));
    expect(Object.keys(perDistretto)).toEqual(['rif_ambito', 'rif_ambito_tutela', 'rif_distretto']);
    expect((await udp.get('/sociali?cluster=6')).text).toContain('Digitalizzazione di riferimento');
  });

  test('non attribuiti: Sociali ed Economici dicono all\'Ufficio di Piano quante righe non hanno un comune', async () => {
    const db = get();
    expect(await avvisoNonAttribuiti(db, 'sociali', 2025)).toBeNull();
    await db.knex('cartelle').insert({ id_cartella: 'CNA1', codice_istat: '099999', data_apertura: '2025-02-01', data_chiusura: null, area_utenza: null, tutela_minori: false, operatore_id: null, riga: 9001 });
    await db.knex('cartelle').insert({ id_cartella: 'CNA2', codice_istat: null, data_apertura: '2024-02-01', data_chiusura: '2025-01-10', area_utenza: null, tutela_minori: false, operatore_id: null, riga: 9002 });
    try {
      expect(await avvisoNonAttribuiti(db, 'sociali', 2025)).toBe("Non attribuiti: 2 cartelle attive nel 2025 non hanno un comune dell'anagrafica e non sono conteggiate (vedi Qualità dei dati).");
      expect(await avvisoNonAttribuiti(db, 'sociali', 2026)).toBe("Non attribuiti: 1 cartella attiva nel 2026 non ha un comune dell'anagrafica e non è conteggiata (vedi Qualità dei dati).");
      expect(await avvisoNonAttribuiti(db, 'economici', 2025)).toBeNull();
    } finally {
      await db.knex('cartelle').whereIn('id_cartella', ['CNA1', 'CNA2']).del();
    }
  });

  test('due filtri che non vanno insieme: si tiene la scelta più recente e lo si dice, mai un errore', async () => {
    // Lodi (cluster 1) then cluster 2: without the form's script the group is the newer choice.
    const gruppo = JSON.parse((await udp.get(`/api/sportello?comune=${LODI}&cluster=2`)).text);
    expect([gruppo.filtri.comune, gruppo.filtri.cluster]).toEqual([null, 2]);
    expect(gruppo.avvisi[0]).toBe('Lodi non è nel cluster 2: è tenuto il cluster 2, scelto per ultimo, e il filtro del comune è stato tolto.');
    // The script says the comune was picked last: the comune is kept.
    const comune = JSON.parse((await udp.get(`/api/sportello?comune=${LODI}&cluster=2&ultimo=comune`)).text);
    expect([comune.filtri.comune, comune.filtri.cluster]).toEqual([LODI, null]);
    expect(comune.avvisi[0]).toContain('è tenuto il comune scelto per ultimo');
    // A cluster and a distretto: the view's group is kept.
    const entrambi = JSON.parse((await udp.get('/api/sportello?cluster=6&distretto=Lodi&vista=distretto')).text);
    expect([entrambi.filtri.cluster, entrambi.filtri.distretto, entrambi.filtri.vista]).toEqual([null, 'Lodi', 'distretto']);
    expect(entrambi.avvisi[0]).toContain('è tenuto il distretto di Lodi');
    // The page: 200, the message on top.
    const pagina = await udp.get(`/sportello?comune=${LODI}&cluster=2`);
    expect(pagina.status).toBe(200);
    expect(pagina.text).toContain('Lodi non è nel cluster 2: è tenuto il cluster 2');
  });

  test('anche la pagina risponde 400 con il messaggio, e un comune inesistente è 404', async () => {
    const r = await udp.get('/sociali?anno=abc');
    expect(r.status).toBe(400);
    expect(r.text).toContain('anno: indicare un anno di quattro cifre');
    expect((await udp.get('/comuni/099999')).status).toBe(404);
  });

  test('i filtri sono nell\'URL: un modulo GET con i nomi dei parametri, i valori scelti selezionati', async () => {
    const html = (await udp.get(`/sportello?anno=2025&comune=${LODI}&area=adulti&motivo=LAVORO`)).text.replace(/&#x3D;/g, '=');
    expect(html).toContain('<form method="get" action="/sportello"');
    for (const nome of ['anno', 'cluster', 'comune', 'area', 'motivo']) expect(html).toContain(`name="${nome}"`);
    expect(html).toContain('<option value="2025" selected>');
    expect(html).toContain(`<option value="${LODI}" selected>`);
    expect(html).toContain('<option value="LAVORO" selected>');
    // Clicking a motivo is a plain link that keeps the other filters.
    expect(html).toContain(`href="/sportello?anno=2025&amp;comune=${LODI}&amp;area=adulti&amp;motivo=CASA#problemi"`);
  });

  test('il modulo dei filtri offre solo ciò che il ruolo può scegliere e ciò che si applica', async () => {
    const pagina = async (b: Browser, p: string) => {
      const r = await b.get(p);
      expect([p, r.status]).toEqual([p, 200]);
      const form = r.text.slice(r.text.indexOf('<section class="filtri'), r.text.indexOf('</section>', r.text.indexOf('<section class="filtri')));
      return { campi: [...form.matchAll(/<select id="f-([a-z_]+)"/g)].map((m) => m[1]), opzioniComune: [...(form.split('id="f-comune"')[1]?.split('</select>')[0] ?? '').matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]), schede: form.includes('Vista per cluster') };
    };
    // Mese su mese: the office chooses anything; outside it, the ambito or the own comune only
    // (anything else is a 403), and area only where it applies (the own comune).
    const mUdp = await pagina(udp, '/mese');
    expect(mUdp.campi).toEqual(['cluster', 'comune', 'area']);
    expect(mUdp.schede).toBe(true);
    expect(mUdp.opzioniComune).toContain(BREMBIO);
    expect(await pagina(lodi, '/mese')).toEqual({ campi: ['comune'], opzioniComune: ['', LODI], schede: false });
    expect(await pagina(lodi, `/mese?comune=${LODI}`)).toEqual({ campi: ['comune', 'area'], opzioniComune: ['', LODI], schede: false });
    expect(await pagina(operatore, '/mese')).toEqual({ campi: [], opzioniComune: [], schede: false });
    // What the form offers is accepted: no choice of it is a 403.
    expect((await lodi.get(`/mese?comune=${LODI}&area=adulti`)).status).toBe(200);
    // Sportello: the motivo (and the area) filter the own comune's figures only, so they are
    // offered to a comune with its own comune selected, never on the ambito nor to the operatore.
    expect((await pagina(udp, '/sportello?anno=2025')).campi).toEqual(['anno', 'cluster', 'comune', 'area', 'motivo']);
    expect((await pagina(lodi, '/sportello?anno=2025')).campi).toEqual(['anno', 'cluster', 'comune']);
    expect((await pagina(lodi, `/sportello?anno=2025&comune=${BREMBIO}`)).campi).toEqual(['anno', 'cluster', 'comune']);
    expect((await pagina(lodi, `/sportello?anno=2025&comune=${LODI}`)).campi).toEqual(['anno', 'cluster', 'comune', 'area', 'motivo']);
    expect((await pagina(operatore, '/sportello?anno=2025')).campi).toEqual(['anno', 'cluster', 'comune']);
    expect((await pagina(operatore, '/sociali?anno=2025')).campi).toEqual(['anno', 'cluster', 'comune']);
  });

  test('la scheda del comune: formula con i numeri del comune; riservata per gli altri se i conteggi sono piccoli', async () => {
    // No reconciliation has run on this ambito: the scorecard still answers and says so.
    const doc = await json(udp, `/api/comuni/${LODI}?anno=2025`);
    expect(doc.avvisi[0]).toContain('riconciliazione non è ancora stata eseguita');
    expect(doc.tabelle.find((t: { id: string }) => t.id === 'attivita').righe[0]).toEqual({ voce: 'Accessi allo sportello', valore: 4 });
    const altro = await json(lodi, `/api/comuni/${BREMBIO}?anno=2025`);
    expect(altro.tabelle.find((t: { id: string }) => t.id === 'attivita').righe[0]).toEqual({ voce: 'Accessi allo sportello', valore: '<3' });
  });

  test('anni a confronto: nella scheda e nelle pagine di famiglia, nel JSON e nel CSV, con la stessa riservatezza', async () => {
    const anni = (doc: { tabelle: { id: string; righe: Record<string, unknown>[] }[] }) => doc.tabelle.find((t) => t.id === 'anni')!.righe;
    // Lodi: A1 in 2024, four accessi in 2025 (test/cruscotto/dati.ts).
    const scheda = await json(udp, `/api/comuni/${LODI}?anno=2025`);
    expect(anni(scheda).slice(-2).map((r) => [r.anno, r.accessi, r.accessi_variazione, r.prese_in_carico, r.n_prestazioni])).toEqual([
      ['2024', 1, null, 1, 1],
      ['2025', 4, 300, 3, 3],
    ]);
    expect(scheda.grafici.find((g: { id: string }) => g.id === 'grafico_anni').serie[0].dati.slice(-2)).toEqual([1, 4]);
    // Another comune's account: Lodi's 1 of 2024 is <3 here as on Lodi's 2024 scorecard.
    const altro = await json(operatore, `/api/comuni/${LODI}?anno=2025`);
    const del2024 = await json(operatore, `/api/comuni/${LODI}?anno=2024`);
    expect(anni(altro).find((r) => r.anno === '2024')!.accessi).toBe(del2024.tabelle.find((t: { id: string }) => t.id === 'attivita').righe[0].valore);
    expect(anni(altro).find((r) => r.anno === '2025')!.accessi_variazione).toBe('riservato');
    const csv = (await udp.get('/api/sportello?anno=2025&formato=csv&tabella=anni')).text;
    expect(csv.split('\r\n')[0]).toBe('Anno;Accessi;Var. % accessi;Nuovi accessi;Var. % nuovi accessi;% nuovi');
    expect(csv).toContain('\r\n2025;6;500;3;200;50\r\n');
    const html = (await udp.get('/economici?anno=2025')).text;
    expect(html).toContain('data-tabella="anni"');
    expect(html).toContain('id="grafico_anni"');
  });

  test('periodo dal/al: l\'UdP ovunque, il comune sul proprio comune con le sole proprie cifre, gli altri 400 con il perché', async () => {
    const P = 'dal=2024-12-01&al=2025-03-01';
    const amb = await json(udp, `/api/sportello?${P}`);
    expect(amb.sintesi.find((s: { chiave: string }) => s.chiave === 'accessi').valore).toBe(3); // A2, A3, A4
    expect(amb.filtri).toMatchObject({ dal: '2024-12-01', al: '2025-03-01' });
    expect(amb.tabelle.map((t: { id: string }) => t.id)).not.toContain('anni');
    const proprio = await json(lodi, `/api/economici?${P}&comune=${LODI}`);
    expect(proprio.tabelle.find((t: { id: string }) => t.id === 'totali').righe).toEqual([expect.objectContaining({ livello: 'Lodi', n: 2 })]);
    expect(proprio.tabelle.map((t: { id: string }) => t.id)).not.toContain('gruppi');
    const pagina = (await lodi.get(`/sociali?${P}&comune=${LODI}`)).text;
    expect(pagina).toContain('Dati sociali dal 01/12/2024 al 01/03/2025');
    expect(pagina).toContain('name="dal" value="2024-12-01"');
    for (const [b, p, perche] of [
      [lodi, `/api/sportello?${P}`, 'solo per il proprio comune'],
      [lodi, `/api/sociali?${P}&comune=${BREMBIO}`, 'solo per il proprio comune'],
      [lodi, `/sportello?${P}&cluster=6`, 'solo per il proprio comune'],
      [operatore, `/api/economici?${P}&comune=${LODI}`, "solo all'Ufficio di Piano"],
      [operatore, `/api/economici?${P}&formato=csv&tabella=comuni`, "solo all'Ufficio di Piano"],
      [operatore, `/sportello?${P}`, "solo all'Ufficio di Piano"],
    ] as [Browser, string, string][]) {
      const r = await b.get(p);
      expect([p, r.status]).toEqual([p, 400]);
      const testo = r.text.replace(/&#x27;/g, "'");
      expect(testo).toContain(perche);
      expect(testo).toContain('anno intero');
    }
    const r = await udp.get('/api/sportello?dal=2025-02-30');
    expect([r.status, JSON.parse(r.text).errore]).toEqual([400, 'Parametro non valido: dal: 2025-02-30 non è una data del calendario.']);
  });

  test('una nuova importazione cambia le cifre (nessuna cache vecchia)', async () => {
    const prima = rigaBrembio(await json(udp, '/api/sportello?anno=2025')).accessi as number;
    await get().knex('accessi').insert({ id_accesso: 'A10', codice_fiscale: null, cf_valido: null, codice_istat: BREMBIO, data_accesso: '2025-11-30', riga: 999 });
    await get().knex('importazioni').insert({ tipo: 'siz', esito: 'ok', file: '[]' });
    expect(rigaBrembio(await json(udp, '/api/sportello?anno=2025')).accessi).toBe(prima + 1);
  });
});
