/**
 * Deadlines and "a rischio" in plain words (issue 14), on every page and email, against the real
 * app on a real database. Hand-made plan, today Monday 23 November 2026:
 *
 *   Lodi: 40 cartelle in SIZ of 50 declared = 80%, the configured target (stato "raggiunto"),
 *         but its caricamento deadline of 15 December 2026 sets 90%: ceil(0.9 * 50) - 40 = 5
 *         missing (at 80% it would say 0). One reconciliation only: no forecast, so a rischio by
 *         the rule with "andamento non ancora prevedibile", never a date.
 *   Brembio: 5 of 20 = 25%, deadline 26 October 2026 (default 80%) passed 28 days ago:
 *         "Scaduta il 26/10/2026 (da 28 giorni)"; ceil(16) - 5 = 11 missing.
 */
import fs from 'node:fs';
import { createUser } from '../../server/auth/utenti';
import type { Utente } from '../../server/auth/tipi';
import { runPromemoria } from '../../server/promemoria/service';
import { runRiepilogo } from '../../server/riepilogo/service';
import { mancantiPer, motivoRischio, NON_PREVEDIBILE, quandoScade, scadutaIl } from '../../server/scadenze/parole';
import { Browser, mutableClock, signedIn, startServer, testContext, TestServer } from '../auth/helpers';
import { describeDb, truncateAll } from '../support/db';
import { BREMBIO, comuniConContatti, importaCensimento, importaSiz, LODI, riconcilia, SANTANGELO, scadenza } from '../promemoria/piano';

const NON_PREV = 'andamento non ancora prevedibile (servono almeno 3 rilevazioni in almeno 14 giorni)';

describe('parole delle scadenze', () => {
  test('scaduta, quando scade, mancanti al proprio obiettivo, motivo del rischio', () => {
    expect(NON_PREVEDIBILE).toBe(NON_PREV);
    expect(scadutaIl('2026-10-26', '2026-11-23')).toBe('Scaduta il 26/10/2026 (da 28 giorni)');
    expect(scadutaIl('2026-11-22', '2026-11-23')).toBe('Scaduta il 22/11/2026 (da 1 giorno)');
    expect(scadutaIl('2026-11-23', '2026-11-23')).toBeNull();
    expect(['2026-12-15', '2026-11-24', '2026-11-23', '2026-10-26'].map((d) => quandoScade(d, '2026-11-23'))).toEqual(['tra 22 giorni', 'domani', 'oggi', 'Scaduta il 26/10/2026 (da 28 giorni)']);
    // ceil(T * d / 100) - s, never below 0, exact with decimal targets (64.4% of 250 = 161).
    expect([mancantiPer(40, 50, 80), mancantiPer(40, 50, 90), mancantiPer(0, 250, 64.4), mancantiPer(5, 0, 80), mancantiPer(5, null, 80)]).toEqual([0, 5, 161, null, null]);
    const base = { digit_tot: 80, scadenza: '2026-12-15', obiettivo: 90 };
    expect(motivoRischio({ ...base, esito: 'storia_insufficiente', previsione: null })).toBe(`A rischio: ${NON_PREV}`);
    expect(motivoRischio({ ...base, esito: 'andamento_fermo', previsione: null })).toBe("A rischio: digitalizzazione ferma o in calo: al ritmo attuale l'obiettivo non sarebbe raggiunto");
    expect(motivoRischio({ ...base, esito: 'prevista', previsione: '2027-02-03' })).toBe("A rischio: al ritmo attuale l'obiettivo del 90% sarebbe raggiunto il 3 febbraio 2027, dopo la scadenza (15 dicembre 2026)");
    expect(motivoRischio({ ...base, digit_tot: null, esito: null, previsione: null })).toBe("A rischio: senza censimento il comune non può dimostrare di aver raggiunto l'obiettivo");
  });
});

describeDb('scadenze e rischio in parole semplici', (get) => {
  let ctx: ReturnType<typeof testContext> & { clock: ReturnType<typeof mutableClock> };
  let server: TestServer;
  let udp: Utente;

  beforeAll(async () => {
    const db = get();
    await truncateAll(db);
    ctx = testContext(db, { clock: mutableClock('2026-11-23T09:00:00Z') }) as typeof ctx;
    await comuniConContatti(db);
    await importaCensimento(db, '2026-06-30', { [LODI]: 50, [BREMBIO]: 20 });
    await importaSiz(db, '2026-11-20', { [LODI]: 40, [BREMBIO]: 5 });
    await scadenza(db, { codice_istat: LODI, tipo: 'caricamento', data_scadenza: '2026-12-15', obiettivo: 90 });
    await scadenza(db, { codice_istat: BREMBIO, tipo: 'caricamento', data_scadenza: '2026-10-26' });
    await riconcilia(ctx, '2026-11-23');
    udp = (await createUser(db, { email: 'udp@ufficio.example', ruolo: 'udp', password: 'password-dei-test-2026' })).utente;
    server = await startServer(ctx);
  });
  afterAll(async () => {
    await server?.close();
    if (ctx) fs.rmSync(ctx.dataDir, { recursive: true, force: true });
  });

  const browser = async (): Promise<Browser> => (await signedIn(ctx, server.url, udp)).browser;
  const json = async (p: string) => JSON.parse((await (await browser()).get(p)).text);
  const sintesi = (doc: { sintesi: { chiave: string; etichetta: string; valore: unknown; nota?: string }[] }, k: string) => doc.sintesi.find((s) => s.chiave === k)!;

  test('la riconciliazione registra perché manca la previsione', async () => {
    const rows = await get().knex('riconciliazione_comuni').whereIn('codice_istat', [LODI, BREMBIO]).orderBy('codice_istat').select('codice_istat', 'a_rischio', 'previsione_obiettivo', 'previsione_scadenza', 'previsione_esito');
    expect(rows).toEqual([
      { codice_istat: BREMBIO, a_rischio: true, previsione_obiettivo: null, previsione_scadenza: null, previsione_esito: 'storia_insufficiente' },
      { codice_istat: LODI, a_rischio: true, previsione_obiettivo: null, previsione_scadenza: null, previsione_esito: 'storia_insufficiente' },
    ]);
  });

  test("scheda del comune: mancanti e raggiunto all'obiettivo della scadenza (90%), rischio senza data", async () => {
    const doc = await json(`/api/comuni/${LODI}`);
    expect(sintesi(doc, 'mancanti_obiettivo')).toMatchObject({ etichetta: 'Cartelle da caricare per il 90% (obiettivo della scadenza)', valore: 5 });
    expect(sintesi(doc, 'giorni_scadenza')).toMatchObject({ etichetta: 'Quando scade', valore: 'tra 22 giorni', nota: `A rischio: ${NON_PREV}` });
    expect(sintesi(doc, 'previsione_obiettivo')).toMatchObject({ etichetta: 'Obiettivo della scadenza (90%) previsto il', valore: null });
    const attive = doc.tabelle.find((t: { id: string }) => t.id === 'metriche').righe.find((r: { codice_metrica: string }) => r.codice_metrica === 'cartelle_attive');
    expect(attive.rispetto_obiettivo).toBe('mancano 10 punti');
    expect(doc.spiegazione.testo).toContain("ne servono altre 5 per il 90% (45 cartelle su 50)");
    const page = (await (await browser()).get(`/comuni/${LODI}`)).text;
    expect(page).not.toContain('arriverebbe');
    expect(page).toContain(NON_PREV);
  });

  test('scheda di un comune con la scadenza passata: "Scaduta il ... (da N giorni)", mai giorni negativi', async () => {
    const doc = await json(`/api/comuni/${BREMBIO}`);
    expect(sintesi(doc, 'giorni_scadenza').valore).toBe('Scaduta il 26/10/2026 (da 28 giorni)');
    expect(sintesi(doc, 'mancanti_obiettivo')).toMatchObject({ etichetta: "Cartelle da caricare per l'80%", valore: 11 });
    // The page, and the council handout printed from it.
    const page = (await (await browser()).get(`/comuni/${BREMBIO}`)).text;
    expect(page).toContain('Scadenza per l&#x27;obiettivo: Scaduta il 26/10/2026 (da 28 giorni).');
    expect(page).not.toMatch(/>\s*-28\s*</);
  });

  test('panoramica: mancanti al proprio obiettivo, comuni a rischio con il perché', async () => {
    const doc = await json('/api/panoramica');
    const comuni = doc.tabelle.find((t: { id: string }) => t.id === 'comuni').righe;
    expect(comuni.find((r: { codice_istat: string }) => r.codice_istat === LODI).mancanti_obiettivo).toBe(5);
    const rischio = doc.tabelle.find((t: { id: string }) => t.id === 'a_rischio');
    expect(rischio.titolo).toBe('Comuni a rischio per la scadenza');
    expect(rischio.righe.map((r: Record<string, unknown>) => [r.comune, r.obiettivo, r.mancanti_obiettivo, r.quando, r.motivo])).toEqual([
      ['Brembio', 80, 11, 'Scaduta il 26/10/2026 (da 28 giorni)', 'non ancora prevedibile'],
      ['Lodi', 90, 5, 'tra 22 giorni', 'non ancora prevedibile'],
    ]);
    expect(rischio.nota).toContain(`«Non ancora prevedibile»: ${NON_PREV}.`);
  });

  test('quadro delle scadenze: la scaduta dice da quando; il dettaglio dice perché è a rischio', async () => {
    const b = await browser();
    const board = (await b.get('/scadenze')).text;
    expect(board).toContain('Scaduta il 26/10/2026 (da 28 giorni)');
    const api = JSON.parse((await b.get('/api/scadenze?vista=tutte')).text).scadenze as Record<string, unknown>[];
    expect(api.map((s) => [s.codice_istat, s.obiettivo, s.mancanti_obiettivo, s.stato])).toEqual([
      [BREMBIO, 80, 11, 'scaduta'],
      [LODI, 90, 5, 'a_rischio'],
    ]);
    const lodi = api.find((s) => s.codice_istat === LODI)!;
    const dettaglio = (await b.get(`/scadenze/${lodi.id}`)).text;
    expect(dettaglio).toContain(`A rischio: ${NON_PREV}`);
    expect(dettaglio).toContain(`${NON_PREV}.`);
  });

  test('promemoria e riepilogo: stesso obiettivo (90%), stessi mancanti, stessa scadenza passata', async () => {
    const e = await runPromemoria(ctx, { oggi: '2026-11-23' });
    expect(e.accodati).toBe(3); // Lodi's two contacts (-30 occasion, moved to Monday 16), Brembio's weekly reminder
    const posta = (await get().knex('posta').where({ tipo: 'promemoria' }).orderBy('id').select('destinatario', 'oggetto', 'testo')) as { destinatario: string; oggetto: string; testo: string }[];
    const brembio = posta.find((m) => m.destinatario === 'servizi.sociali@comune.brembio.example')!;
    expect(brembio.oggetto).toBe('Sollecito: Scaduta il 26/10/2026 (da 28 giorni) – Comune di Brembio');
    expect(brembio.testo).toContain("ne mancano 11 per raggiungere l'obiettivo (80%). Scaduta il 26/10/2026 (da 28 giorni).");
    const lodi = posta.find((m) => m.destinatario === 'sociale@comune.lodi.example')!;
    expect(lodi.testo).toContain("ne mancano 5 per raggiungere l'obiettivo (90%) entro il 15 dicembre 2026.");
    expect(lodi.testo).toContain(`Previsione: ${NON_PREV}.`);
    expect(lodi.testo).not.toMatch(/sarebbe raggiunto il/);

    await runRiepilogo(ctx, { oggi: '2026-11-23' });
    const riepilogo = (await get().knex('posta').where({ tipo: 'riepilogo', destinatario: 'sociale@comune.lodi.example' }).first('testo')).testo as string;
    expect(riepilogo).toContain("Cartelle mancanti all'obiettivo della scadenza (90%): 5.");
  });
});

describeDb('previsione: perché c\'è o non c\'è', (get) => {
  test('3 rilevazioni in 14 giorni: retta in salita -> data prevista; retta piatta -> andamento fermo', async () => {
    const db = get();
    await truncateAll(db);
    const ctx = testContext(db, { clock: mutableClock('2026-11-15T09:00:00Z') });
    await comuniConContatti(db);
    await importaCensimento(db, '2026-06-30', { [SANTANGELO]: 30, [BREMBIO]: 20 });
    await scadenza(db, { codice_istat: SANTANGELO, tipo: 'caricamento', data_scadenza: '2026-12-01' });
    await scadenza(db, { codice_istat: BREMBIO, tipo: 'caricamento', data_scadenza: '2026-12-01' });
    // Sant'Angelo 10, 12, 14 of 30 (33.33, 40, 46.67%); Brembio 5 of 20 every time.
    for (const [giorno, n] of [['2026-11-01', 10], ['2026-11-08', 12], ['2026-11-15', 14]] as const) {
      await importaSiz(db, giorno, { [SANTANGELO]: n, [BREMBIO]: 5 });
      await riconcilia(ctx, giorno);
    }
    const rows = await db.knex('riconciliazione_comuni').where({ riconciliazione_id: db.knex('riconciliazioni').max('id') }).whereIn('codice_istat', [SANTANGELO, BREMBIO]).orderBy('codice_istat').select('codice_istat', 'a_rischio', 'previsione_scadenza', 'previsione_esito');
    // Least squares through (-14, 33.33), (-7, 40), (0, 46.67): slope 93.38 / 98 per day, 80% at
    // x* = 33.33 * 98 / 93.38 = 34.98 -> 35 days after 15 November = 20 December, after 1 December.
    expect(rows).toEqual([
      { codice_istat: BREMBIO, a_rischio: true, previsione_scadenza: null, previsione_esito: 'andamento_fermo' },
      { codice_istat: SANTANGELO, a_rischio: true, previsione_scadenza: '2026-12-20', previsione_esito: 'prevista' },
    ]);
    const testo = motivoRischio({ digit_tot: 46.67, esito: 'prevista', previsione: '2026-12-20', scadenza: '2026-12-01', obiettivo: 80 });
    expect(testo).toBe("A rischio: al ritmo attuale l'obiettivo dell'80% sarebbe raggiunto il 20 dicembre 2026, dopo la scadenza (1 dicembre 2026)");
  });
});
