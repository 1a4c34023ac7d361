/**
 * The upload pages over HTTP (both engines): dry run, confirmation, refusals on arrival, the
 * import history, two uploads at once. The browser test (test/browser/ufficio.test.ts) drives
 * the same pages in Chromium.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeDb, truncateAll } from '../support/db';
import { CF, seedComuni } from '../support/fixtures';
import { csv } from '../support/files';
import { zip } from '../support/zip';
import { installaSpia, leggiSpia, togliSpia } from '../support/notte-spia';
import { createUser } from '../../server/auth/utenti';
import type { Utente } from '../../server/auth/tipi';
import { registerFeatures } from '../../server/features';
import { Browser, signedIn, startServer, testContext, TestServer } from '../auth/helpers';
import { attendiCaricamenti } from '../../server/caricamenti/service';

type Ctx = ReturnType<typeof testContext>;

/** POSTs files as the upload form does (multipart, token in the header). */
async function invia(b: Browser, csrf: string, tipo: string, files: [string, Buffer | string][], campi: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(campi)) form.append(k, v);
  for (const [nome, dati] of files) form.append('file', new Blob([typeof dati === 'string' ? dati : new Uint8Array(dati)]), nome);
  const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${b.base}/caricamenti/${tipo}`, { method: 'POST', body: form, headers: { cookie, 'x-csrf-token': csrf }, redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

/** Uploads, waits for the dry run, returns the upload's page and its JSON. */
async function verifica(ctx: Ctx, b: Browser, csrf: string, tipo: string, files: [string, Buffer | string][], campi: Record<string, string> = {}) {
  const r = await invia(b, csrf, tipo, files, campi);
  expect([r.status, r.text.slice(0, 300)]).toEqual([303, expect.any(String)]);
  await attendiCaricamenti(ctx);
  const id = Number(/\/caricamento\/(\d+)$/.exec(r.location!)![1]);
  const page = await b.get(`/caricamento/${id}`);
  return { id, page: page.text, json: JSON.parse((await b.get(`/api/caricamento/${id}`)).text) };
}

const CENSIMENTO = csv([
  ['codice_istat', 'data_riferimento', 'cartelle_attive'],
  ['098031', '2026-06-30', 4],
  ['098010', '2026-06-30', 1],
]);

const SIZ = {
  'cartelle.csv': csv([
    ['id_cartella', 'codice_istat', 'data_apertura'],
    ['C1', '098031', '2024-01-15'],
    ['C2', '098031', '2024-02-15'],
    ['C3', '098010', '2024-03-15'],
  ]),
  'membri.csv': csv([
    ['id_cartella', 'codice_fiscale'],
    ['C1', CF.mario],
    ['C2', CF.anna],
    ['C3', CF.luca],
  ]),
  'estrazione.txt': '2026-06-30\n',
};

describeDb('pagine di caricamento', (get) => {
  let ctx: Ctx;
  let server: TestServer;
  let udp: Utente;
  let b: Browser;
  let csrf: string;

  beforeAll(async () => {
    registerFeatures();
    await truncateAll(get());
    await seedComuni(get());
    ctx = testContext(get(), { env: { CARICAMENTI_MAX_MB: '0.05', SIZ_CALO_MIN_RIGHE: '2' } }); // 51 KB: the size-limit test needs a small one; 3 loaded cartelle are enough to judge a loss
    udp = (await createUser(get(), { email: 'udp@test.example', ruolo: 'udp', password: 'password-dei-test' })).utente;
    server = await startServer(ctx);
    ({ browser: b, csrf } = await signedIn(ctx, server.url, udp));
  });
  afterAll(async () => {
    await attendiCaricamenti(ctx);
    await server?.close();
  });

  const censimento = async () => (await get().knex('censimento').orderBy('codice_istat').select('codice_istat', 'cartelle_attive')).map((r) => `${r.codice_istat}:${r.cartelle_attive}`);

  test('SIZ as one ZIP of its folder: the dry run shows the counts and changes nothing; "Carica" loads it', async () => {
    const archivio = zip([{ nome: 'estrazione-2026-06-30/', dati: '' }, ...Object.entries(SIZ).map(([nome, dati]) => ({ nome: `estrazione-2026-06-30/${nome}`, dati })), { nome: 'estrazione-2026-06-30/leggimi.pdf', dati: '%PDF-1.4' }]);
    const v = await verifica(ctx, b, csrf, 'siz', [['estrazione.zip', archivio]]);
    expect(v.json.stato).toBe('verificato');
    expect(v.json.anteprima.tabelle).toEqual([
      { tabella: 'cartelle', prima: 0, dopo: 3 },
      { tabella: 'membri', prima: 0, dopo: 3 },
    ]);
    expect(v.json.anteprima.data_estrazione).toBe('2026-06-30');
    expect(v.json.avvisi).toEqual([expect.stringContaining('estrazione-2026-06-30/leggimi.pdf')]);
    expect(v.page).toContain('Verifica superata');
    expect(v.page).toContain('action="/caricamento/' + v.id + '/carica"');
    expect(await get().knex('cartelle').count('* as n')).toEqual([{ n: 0 }]); // nothing yet
    expect(await get().knex('importazioni').where({ tipo: 'siz' })).toEqual([]);

    await installaSpia(get());
    const c = await b.request('POST', `/caricamento/${v.id}/carica`, { form: { _csrf: csrf } });
    expect(c.status).toBe(303);
    await attendiCaricamenti(ctx);
    // The import and its chain ran as one update (one night for the pages, no moment between
    // them when a page would take the night for over), closed at the end (server/fatti/notte.ts).
    const passi = await leggiSpia(get());
    await togliSpia(get());
    expect(passi.map((p) => p.cosa)).toEqual(['import siz', 'job riconciliazione', 'job qualita', 'job fatti']);
    expect(passi.every((p) => p.aggiornamenti === 1)).toBe(true);
    expect(await get().knex('aggiornamenti').count('* as n')).toEqual([{ n: 0 }]);
    const dopo = JSON.parse((await b.get(`/api/caricamento/${v.id}`)).text);
    expect(dopo.stato).toBe('caricato');
    expect(dopo.messaggio).toMatch(/^Estrazione SIZ del 2026-06-30 importata: cartelle 3, membri 3\.\nRiconciliazione n\. \d+/);
    expect((await get().knex('cartelle').orderBy('id_cartella').pluck('id_cartella'))).toEqual(['C1', 'C2', 'C3']);
    const imp = await get().knex('importazioni').where({ tipo: 'siz' }).first();
    expect(imp).toMatchObject({ esito: 'ok', utente: 'udp@test.example', data_estrazione: '2026-06-30', righe: 6 });
    // The after-import chain ran as after `cruscotto import`: reconciliation and audit.
    expect(await get().knex('audit').where({ azione: 'importazione' }).pluck('email')).toEqual(['udp@test.example']);
    // A second "Carica" of the same upload does nothing.
    expect((await b.request('POST', `/caricamento/${v.id}/carica`, { form: { _csrf: csrf } })).status).toBe(409);
    // The same files again: nothing to load.
    const again = await verifica(ctx, b, csrf, 'siz', Object.entries(SIZ));
    expect(again.json.anteprima.nessuna_modifica).toBe(true);
    expect(again.page).toContain("non c'è niente da caricare");
    expect(again.page).not.toContain('/carica"');
  });

  test('a malformed census: every file:line:column is listed (also as CSV), nothing changes, the history keeps the rejection', async () => {
    const prima = await censimento();
    const v = await verifica(ctx, b, csrf, 'censimento', [
      ['censimento giugno.csv', csv([['codice_istat', 'data_riferimento', 'cartelle_attive'], ['098031', '31/02/2026', 4], ['999999', '2026-06-30', 'tre']])],
    ]);
    expect(v.json.stato).toBe('rifiutato');
    expect(v.json.errori).toEqual([
      'censimento giugno.csv:2:2: data_riferimento: data inesistente "31/02/2026"',
      'censimento giugno.csv:3:3: cartelle_attive: numero non valido "tre" (atteso un intero >= 0)',
    ]);
    expect(v.page).toContain('<td>censimento giugno.csv</td><td>2</td><td>2</td>');
    const csvText = (await b.get(`/caricamento/${v.id}/errori.csv`)).text;
    expect(csvText.split('\r\n').slice(0, 3)).toEqual(['file;riga;colonna;motivo', 'censimento giugno.csv;2;2;"data_riferimento: data inesistente ""31/02/2026"""', 'censimento giugno.csv;3;3;"cartelle_attive: numero non valido ""tre"" (atteso un intero >= 0)"']);
    expect(await censimento()).toEqual(prima);
    const storico = await b.get('/importazioni?esito=rifiutata');
    expect(storico.text).toContain('censimento giugno.csv');
    const rif = await get().knex('importazioni').where({ tipo: 'censimento', esito: 'rifiutata' }).first();
    expect(rif.utente).toBe('udp@test.example');
    expect(rif.file).toEqual([{ nome: 'censimento giugno.csv', checksum: expect.stringMatching(/^[0-9a-f]{64}$/), righe: 0 }]);
    expect((await b.get(`/importazioni/${rif.id}/errori.csv`)).text).toContain('censimento giugno.csv;3;3;');
  });

  test('a census: the dry run shows each comune\'s digitalization before and after; "Carica" saves it', async () => {
    const v = await verifica(ctx, b, csrf, 'censimento', [['censimento.csv', CENSIMENTO]]);
    expect(v.json.stato).toBe('verificato');
    // SIZ loaded by the first test: Lodi 2 cartelle active at E, Brembio 1.
    expect(v.json.anteprima.digitalizzazione.filter((d: { cambia: boolean }) => d.cambia)).toEqual([
      { codice_istat: '098010', nome: 'Brembio', prima: null, dopo: 100, dichiarate_prima: null, dichiarate_dopo: 1, cambia: true },
      { codice_istat: '098031', nome: 'Lodi', prima: null, dopo: 50, dichiarate_prima: null, dichiarate_dopo: 4, cambia: true },
    ]);
    expect(v.page).toContain('id="anteprima-digitalizzazione"');
    expect(await censimento()).toEqual([]);
    await b.request('POST', `/caricamento/${v.id}/carica`, { form: { _csrf: csrf } });
    await attendiCaricamenti(ctx);
    expect(await censimento()).toEqual(['098010:1', '098031:4']);
  });

  test('refused on arrival, nothing kept: over the size limit, a ZIP escaping its folder, a file that is not what its extension says', async () => {
    const uploads = path.join(ctx.dataDir, 'caricamenti');
    const before = fs.existsSync(uploads) ? fs.readdirSync(uploads).sort() : [];
    const righe = async () => Number((await get().knex('caricamenti').count('* as n'))[0].n);
    const caricamentiPrima = await righe();
    const grande = await invia(b, csrf, 'censimento', [['censimento.csv', 'codice_istat;data_riferimento;cartelle_attive\n' + '098031;2026-06-30;4\n'.repeat(4000)]]);
    expect(grande.status).toBe(413);
    expect(grande.text).toContain('Il caricamento supera il limite di 51 KB: nessun file è stato salvato.');

    const fuori = path.join(os.tmpdir(), `cruscotto-fuori-${process.pid}.csv`);
    const rel = path.relative(path.join(uploads, 'x', 'estrazione'), fuori);
    const evasione = await invia(b, csrf, 'siz', [['estrazione.zip', zip([{ nome: 'cartelle.csv', dati: SIZ['cartelle.csv'] }, { nome: rel, dati: 'preso!' }])]], { data: '2026-06-30' });
    expect(evasione.status).toBe(422);
    expect(evasione.text).toMatch(/estrazione\.zip: l&#x27;elemento &quot;(\.\.\/)+.*cruscotto-fuori-\d+\.csv&quot; ha un percorso che esce dalla cartella/);
    expect(fs.existsSync(fuori)).toBe(false);
    const link = await invia(b, csrf, 'siz', [['estrazione.zip', zip([{ nome: 'membri.csv', dati: '/etc/passwd', link: true }])]], { data: '2026-06-30' });
    expect(link.text).toContain('è un collegamento simbolico');

    const finto = await invia(b, csrf, 'censimento', [['censimento.csv', zip([{ nome: 'a.txt', dati: 'x' }])]]);
    expect(finto.status).toBe(422);
    expect(finto.text).toContain('censimento.csv: non è un file CSV: è un archivio ZIP (o un file Excel .xlsx).');
    const xls = await invia(b, csrf, 'censimento', [['censimento.xlsx', Buffer.from('d0cf11e0a1b11ae1' + '00'.repeat(100), 'hex')]]);
    expect(xls.text).toContain('censimento.xlsx: non è un file Excel (.xlsx): è un file Excel 97-2003 (.xls)');
    const nessunaData = await invia(b, csrf, 'siz', [['cartelle.csv', SIZ['cartelle.csv']], ['membri.csv', SIZ['membri.csv']]]);
    expect(nessunaData.text).toContain("Indicare la data dell&#x27;estrazione: tra i file non c&#x27;è estrazione.txt.");

    // Nothing written outside the upload folder, and nothing left inside it by the refusals.
    expect(fs.existsSync(uploads) ? fs.readdirSync(uploads).sort() : []).toEqual(before);
    expect(await righe()).toBe(caricamentiPrima);
  });

  test('two uploads confirmed at the same moment: each applied whole, one after the other, never mixed', async () => {
    const a = await verifica(ctx, b, csrf, 'censimento', [['a.csv', csv([['codice_istat', 'data_riferimento', 'cartelle_attive'], ['098031', '2026-09-30', 10], ['098010', '2026-09-30', 10], ['098047', '2026-09-30', 10]])]]);
    const z = await verifica(ctx, b, csrf, 'censimento', [['z.csv', csv([['codice_istat', 'data_riferimento', 'cartelle_attive'], ['098031', '2026-09-30', 20], ['098010', '2026-09-30', 20], ['098047', '2026-09-30', 20]])]]);
    const [ra, rz] = await Promise.all([a, z].map((v) => b.request('POST', `/caricamento/${v.id}/carica`, { form: { _csrf: csrf } })));
    expect([ra.status, rz.status]).toEqual([303, 303]);
    await attendiCaricamenti(ctx);
    const round = (await get().knex('censimento').where({ data_riferimento: '2026-09-30' }).pluck('cartelle_attive')) as number[];
    expect(round.length).toBe(3);
    expect(new Set(round).size).toBe(1); // all from one file: never a mix
    const fatti = await get().knex('importazioni').where({ esito: 'ok' }).whereIn('id', get().knex('caricamenti').whereIn('id', [a.id, z.id]).select('importazione_id')).orderBy('id').select('avviato_il', 'concluso_il');
    expect(fatti.length).toBe(2);
    // One after the other: the second started after the first had ended (the import lock).
    expect(new Date(fatti[1].avviato_il).getTime()).toBeGreaterThanOrEqual(new Date(fatti[0].concluso_il).getTime());
  });

  test('a SIZ extract that loses most of its rows: the dry run shows the loss; "Carica" needs the confirmation, then loads it', async () => {
    const uno = { 'cartelle.csv': csv([['id_cartella', 'codice_istat', 'data_apertura'], ['C1', '098031', '2024-01-15']]), 'membri.csv': csv([['id_cartella', 'codice_fiscale'], ['C1', CF.mario]]), 'estrazione.txt': '2026-07-31\n' };
    const v = await verifica(ctx, b, csrf, 'siz', Object.entries(uno));
    expect(v.json.stato).toBe('verificato');
    expect(v.json.anteprima.calo).toEqual([
      'cartelle.csv:2:0: il file finisce qui con 1 righe di dati; la tabella cartelle caricata ne ha 3: 2 in meno (-66,7%), oltre il calo massimo del 20% (impostazione SIZ_CALO_MASSIMO)',
      'membri.csv:2:0: il file finisce qui con 1 righe di dati; la tabella membri caricata ne ha 3: 2 in meno (-66,7%), oltre il calo massimo del 20% (impostazione SIZ_CALO_MASSIMO)',
    ]);
    expect(v.page).toContain('name="conferma_calo"');
    expect(await get().knex('importazioni').where({ esito: 'sospesa' })).toEqual([]); // a dry run leaves no trace
    const senza = await b.request('POST', `/caricamento/${v.id}/carica`, { form: { _csrf: csrf } });
    expect(senza.status).toBe(400);
    expect(senza.text).toContain('spuntare la conferma del calo');
    expect(await get().knex('cartelle').count('* as n')).toEqual([{ n: 3 }]);
    const con = await b.request('POST', `/caricamento/${v.id}/carica`, { form: { _csrf: csrf, conferma_calo: 'si' } });
    expect(con.status).toBe(303);
    await attendiCaricamenti(ctx);
    expect(JSON.parse((await b.get(`/api/caricamento/${v.id}`)).text).stato).toBe('caricato');
    expect(await get().knex('cartelle').pluck('id_cartella')).toEqual(['C1']);
    const conferma = await get().knex('audit').where({ azione: 'caricamento_confermato' }).orderBy('id', 'desc').first('dettagli');
    expect(JSON.stringify(conferma.dettagli)).toContain('calo_confermato');
  });
});
