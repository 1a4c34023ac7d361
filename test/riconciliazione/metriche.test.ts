/**
 * One test per rule of docs/metriche.md ("Date di appartenenza", "Cartelle escluse (solo pasti e
 * trasporti)", "Metriche del censimento (lato SIZ)", "Cifre della digitalizzazione", "Cluster"),
 * each on a small hand-computed data set. E = 30/06/2020 and Ps = 01/01/2020 unless said otherwise.
 * Runs on PGlite and, with TEST_DATABASE_URL, PostgreSQL.
 */
import { describeDb, truncateAll } from '../support/db';
import { csv, tempFiles } from '../support/files';
import { importSiz } from '../../server/importazione/siz';
import { latestReport } from '../../server/riconciliazione/service';
import { cartella, censimento, comune, erogazione, membro, nomenclatore, person, run } from './helpers';

const A = '098001';
const B = '098002';
const E = '2020-06-30';

describeDb('riconciliazione: regole di docs/metriche.md', (get) => {
  beforeEach(async () => {
    await truncateAll(get());
    await nomenclatore(get());
    await comune(get(), A);
    await comune(get(), B);
    await censimento(get(), A, E, { cartelle_attive: 10 });
    await censimento(get(), B, E, { cartelle_attive: 10 });
  });

  test('cartella aperta a E: chiusa esattamente a E non conta, aperta esattamente a E conta', async () => {
    const db = get();
    await cartella(db, 'C1', A, '2019-01-01', null, { tutela: true }); // open: counts
    await cartella(db, 'C2', A, '2019-01-01', '2020-06-30', { tutela: true }); // closed exactly at E: not open at E
    await cartella(db, 'C3', A, '2020-06-30', null, { tutela: true }); // opened exactly at E: counts
    await cartella(db, 'C4', A, '2020-07-01'); // opened after E
    await cartella(db, 'C5', A, '2019-01-01', '2020-07-01'); // closed the day after E: counts
    await cartella(db, 'C6', A, '2019-01-01', '2020-06-29'); // closed before E
    const r = await run(db);
    expect(r[A].cartelle_attive_siz).toBe(3); // C1, C3, C5
    expect(r[A].cartelle_attive_tutela_siz).toBe(2); // C1, C3
    expect(r[B].cartelle_attive_siz).toBe(0);
  });

  test('esclusione: sole erogazioni di pasti/trasporti fino a E (prima, solo dopo, miste, nessuna, codice figlio)', async () => {
    const db = get();
    const casi: [string, string, [string, string][]][] = [
      ['X1', '2020-02-01', [['PT', '2020-02-10'], ['PT', '2020-03-10']]], // only meals before E: excluded
      ['X2', '2020-03-01', [['PT', '2020-07-01'], ['PT', '2020-08-01']]], // meals only after E: none <= E, not excluded
      ['X3', '2019-01-01', [['PT', '2019-05-01'], ['AX', '2019-06-01']]], // mixed: not excluded
      ['X4', '2019-01-01', []], // no erogazione at all: not excluded
      ['X5', '2019-01-01', [['PT.01', '2019-05-01']]], // child code inherits the parent's flag: excluded
      ['X6', '2019-01-01', [['PT', '2019-05-01'], ['AX', '2020-07-01']]], // the non-meal one is after E: excluded
      ['X7', '2019-01-01', [['PT', '2020-06-30']]], // meals exactly at E: excluded
    ];
    let i = 0;
    for (const [id, apertura, erog] of casi) {
      await cartella(db, id, A, apertura);
      await membro(db, id, person(++i));
      for (const [codice, data] of erog) await erogazione(db, { cartella: id, cf: person(i), istat: A, codice, data });
    }
    const r = await run(db);
    expect(r[A].cartelle_attive_siz).toBe(3); // X2, X3, X4
    expect(r[A].utenti_in_carico_siz).toBe(3);
    expect(r[A].cartelle_aperte_periodo_siz).toBe(1); // X2 (X1 opened in the period but is excluded)
    expect(r[A].utenti_nuovi_periodo_siz).toBe(1); // the member of X2
  });

  test('utenti in carico: date effettive di appartenenza, una persona per CF, la stessa persona in due comuni', async () => {
    const db = get();
    await cartella(db, 'C1', A, '2019-05-01');
    await membro(db, 'C1', person(1)); // no dates: from the opening, open
    await membro(db, 'C1', person(2), null, '2020-06-29'); // end before E
    await membro(db, 'C1', person(3), '2020-07-01'); // start after E
    await membro(db, 'C1', person(4), null, '2020-06-30'); // end exactly at E: not open at E
    await membro(db, 'C1', person(5), '2020-06-30'); // start exactly at E: open
    await membro(db, 'C1', person(6), null, '2021-01-01'); // end after E
    await cartella(db, 'C2', A, '2019-01-01', '2020-12-31');
    await membro(db, 'C2', person(7), null, '2022-01-01'); // end = earliest of data_fine and closing (2020-12-31)
    await membro(db, 'C2', person(1)); // same person in a second cartella of the comune: once
    await cartella(db, 'C3', A, '2019-01-01', '2020-06-30');
    await membro(db, 'C3', person(8), null, '2021-01-01'); // effective end = closing = E: not open
    await cartella(db, 'C4', A, '2020-06-30');
    await membro(db, 'C4', person(9));
    await cartella(db, 'C5', B, '2019-01-01');
    await membro(db, 'C5', person(1)); // the same person in another comune counts there too
    await membro(db, 'C5', person(10));
    const r = await run(db);
    expect(r[A].utenti_in_carico_siz).toBe(5); // persons 1, 5, 6, 7, 9
    expect(r[B].utenti_in_carico_siz).toBe(2); // persons 1, 10
  });

  test('CF in minuscolo con spazi (importSiz normalizza): la stessa persona', async () => {
    const db = get();
    const cf = person(1);
    const messy = ` ${cf.toLowerCase().slice(0, 6)} ${cf.toLowerCase().slice(6)} `;
    const dir = tempFiles({
      'cartelle.csv': csv([
        ['id_cartella', 'codice_istat', 'data_apertura', 'data_chiusura', 'tutela_minori'],
        ['C1', '98001', '2019-01-01', '', 'no'],
        ['C2', '098001', '15/02/2019', '', 'sì'],
        ['C3', '098002', '2019-01-01', '', ''],
      ]),
      'membri.csv': csv([
        ['id_cartella', 'codice_fiscale', 'data_inizio'],
        ['C1', cf, ''],
        ['C2', messy, ''],
        ['C3', messy, ''],
      ]),
      'prestazioni.csv': csv([
        ['id_prestazione', 'id_cartella', 'codice_fiscale', 'codice_istat', 'codice_prestazione', 'data_erogazione', 'costo'],
        ['P1', '', messy.toUpperCase(), '098002', 'AX', '2020-03-01', '10'],
        ['P2', '', cf.toLowerCase(), '098002', 'AX', '2020-04-01', '10'],
      ]),
      'estrazione.txt': '2026-11-21',
    });
    expect((await importSiz(db, dir)).esito).toBe('ok');
    const r = await run(db);
    expect(r[A].cartelle_attive_siz).toBe(2);
    expect(r[A].utenti_in_carico_siz).toBe(1);
    expect(r[A].utenti_in_carico_tutela_siz).toBe(1);
    expect(r[B].utenti_in_carico_siz).toBe(1);
    expect(r[B].utenti_senza_cartella_periodo_siz).toBe(0); // covered by C3 in the same comune
  });

  test('utenti in carico tutela: solo le cartelle di tutela contate', async () => {
    const db = get();
    await cartella(db, 'T1', A, '2019-01-01', null, { tutela: true });
    await membro(db, 'T1', person(1));
    await membro(db, 'T1', person(2));
    await cartella(db, 'N1', A, '2019-01-01');
    await membro(db, 'N1', person(1));
    await membro(db, 'N1', person(3));
    await cartella(db, 'T2', A, '2019-01-01', '2020-06-30', { tutela: true }); // closed at E
    await membro(db, 'T2', person(4));
    await cartella(db, 'T3', A, '2019-01-01', null, { tutela: true }); // meals only: excluded
    await membro(db, 'T3', person(5));
    await erogazione(db, { cartella: 'T3', cf: person(5), istat: A, codice: 'PT', data: '2020-01-10' });
    const r = await run(db);
    expect(r[A].utenti_in_carico_siz).toBe(3); // 1, 2, 3
    expect(r[A].utenti_in_carico_tutela_siz).toBe(2); // 1, 2
    expect(r[A].cartelle_attive_tutela_siz).toBe(1); // T1
  });

  test('cartelle aperte nel periodo [Ps, E], anche con periodo_inizio dichiarato', async () => {
    const db = get();
    await db.knex('censimento').where({ codice_istat: B }).update({ periodo_inizio: '2020-04-01' });
    for (const istat of [A, B]) {
      await cartella(db, `${istat}-a`, istat, '2019-12-31'); // before Ps
      await cartella(db, `${istat}-b`, istat, '2020-01-01'); // = Ps (default)
      await cartella(db, `${istat}-c`, istat, '2020-04-01', '2020-05-01'); // opened and closed in the period
      await cartella(db, `${istat}-d`, istat, '2020-06-30'); // = E
      await cartella(db, `${istat}-e`, istat, '2020-07-01'); // after E
      await cartella(db, `${istat}-f`, istat, '2020-03-01'); // excluded (meals only)
      await erogazione(db, { cartella: `${istat}-f`, istat, codice: 'PT', data: '2020-03-02' });
    }
    const r = await run(db);
    expect(r[A].cartelle_aperte_periodo_siz).toBe(3); // b, c, d
    expect(r[A].periodo_inizio).toBe('2020-01-01');
    expect(r[B].cartelle_aperte_periodo_siz).toBe(2); // c, d (Ps = 01/04/2020)
    expect(r[B].periodo_inizio).toBe('2020-04-01');
  });

  test('cartelle chiuse nel periodo [Ps, E]', async () => {
    const db = get();
    await cartella(db, 'K1', A, '2018-01-01', '2019-12-31'); // before Ps
    await cartella(db, 'K2', A, '2018-01-01', '2020-01-01'); // = Ps
    await cartella(db, 'K3', A, '2018-01-01', '2020-06-30'); // = E
    await cartella(db, 'K4', A, '2018-01-01', '2020-07-01'); // after E
    await cartella(db, 'K5', A, '2018-01-01', null); // open
    await cartella(db, 'K6', A, '2018-01-01', '2020-03-01'); // excluded
    await erogazione(db, { cartella: 'K6', istat: A, codice: 'PT', data: '2019-03-02' });
    const r = await run(db);
    expect(r[A].cartelle_chiuse_periodo_siz).toBe(2); // K2, K3
  });

  test('utenti nuovi: prima appartenenza effettiva, sulle cartelle non escluse del comune, in [Ps, E]', async () => {
    const db = get();
    await cartella(db, 'K1', A, '2019-03-01');
    await cartella(db, 'K2', A, '2020-03-01');
    await cartella(db, 'K3', A, '2020-07-01');
    await cartella(db, 'KX', A, '2019-01-01'); // meals only: excluded
    await erogazione(db, { cartella: 'KX', istat: A, codice: 'PT', data: '2019-02-01' });
    await cartella(db, 'K5', A, '2020-02-01', '2020-03-01');
    await cartella(db, 'KB', B, '2019-01-01');
    await membro(db, 'K1', person(1)); // first cartella began before Ps: not new...
    await membro(db, 'K2', person(1)); // ...even with a new cartella in the period
    await membro(db, 'K2', person(2)); // new
    await membro(db, 'K1', person(3), '2020-02-01'); // joined an older cartella in the period: new
    await membro(db, 'KX', person(4)); // earlier membership only in an excluded cartella...
    await membro(db, 'K2', person(4)); // ...so the first counted start is in the period: new
    await membro(db, 'K3', person(5)); // starts after E
    await membro(db, 'K1', person(6), '2020-06-30'); // starts exactly at E: new
    await membro(db, 'K1', person(7), '2020-01-01'); // starts exactly at Ps: new
    await membro(db, 'KB', person(8)); // in B since 2019...
    await membro(db, 'K2', person(8)); // ...new in A
    await membro(db, 'K5', person(9)); // in a cartella opened and closed in the period: new
    const r = await run(db);
    expect(r[A].utenti_nuovi_periodo_siz).toBe(7); // 2, 3, 4, 6, 7, 8, 9
    expect(r[B].utenti_nuovi_periodo_siz).toBe(0);
  });

  test('utenti senza cartella nel periodo: coperti da una cartella che si sovrappone, o no', async () => {
    const db = get();
    const p = (i: number) => person(i);
    const senza = (i: number | null, data: string, istat: string | null = A) => erogazione(db, { cf: i == null ? null : p(i), istat, data });
    await cartella(db, 'Q1', A, '2019-01-01');
    await membro(db, 'Q1', p(1));
    await senza(1, '2020-03-01'); // covered by Q1, open over the period: no
    await cartella(db, 'Q2', A, '2018-01-01', '2019-12-31');
    await membro(db, 'Q2', p(2));
    await senza(2, '2020-03-01'); // cartella closed before Ps: yes
    await senza(3, '2020-03-01');
    await senza(3, '2020-04-01'); // twice: one person
    await senza(4, '2019-12-31');
    await senza(4, '2020-07-01'); // outside the period: no
    await senza(null, '2020-03-01'); // no CF: never a person
    await cartella(db, 'Q3', B, '2019-01-01');
    await membro(db, 'Q3', p(5));
    await senza(5, '2020-03-01'); // covered only in another comune: yes in A
    await senza(6, '2020-03-01', '099999'); // unknown comune: nobody
    await senza(6, '2020-03-01', null);
    await cartella(db, 'Q7', A, '2019-01-01');
    await membro(db, 'Q7', p(7));
    await erogazione(db, { cartella: 'Q7', cf: p(7), istat: A, data: '2020-03-01' }); // has a cartella: no
    await senza(8, '2020-01-01'); // exactly Ps: yes
    await senza(9, '2020-06-30'); // exactly E: yes
    await cartella(db, 'Q10', A, '2019-01-01');
    await membro(db, 'Q10', p(10), null, '2019-12-31');
    await senza(10, '2020-02-01'); // membership ended before Ps: yes
    await cartella(db, 'Q11', A, '2019-01-01');
    await membro(db, 'Q11', p(11), '2020-06-30');
    await senza(11, '2020-02-01'); // membership starting at E overlaps the period: no
    await cartella(db, 'Q12', A, '2019-01-01');
    await membro(db, 'Q12', p(12));
    await erogazione(db, { cartella: 'Q12', cf: p(12), istat: A, codice: 'PT', data: '2019-02-01' });
    await senza(12, '2020-02-01'); // covered by a cartella of the comune, even an excluded one: no
    await cartella(db, 'Q13', A, '2019-01-01');
    await membro(db, 'Q13', p(13), null, '2020-01-01');
    await senza(13, '2020-02-01'); // membership ending exactly at Ps overlaps the period: no
    const r = await run(db);
    expect(r[A].utenti_senza_cartella_periodo_siz).toBe(6); // 2, 3, 5, 8, 9, 10
    expect(r[B].utenti_senza_cartella_periodo_siz).toBe(0);
  });

  test('righe di comuni sconosciuti, assenti o non attivi non sono attribuite a nessuno', async () => {
    const db = get();
    await comune(db, '098099', { attivo: false });
    await censimento(db, '098099', E, { cartelle_attive: 1 });
    for (const [id, istat] of [['N1', null], ['N2', '099999'], ['N3', '098099']] as [string, string | null][]) {
      await cartella(db, id, istat, '2019-01-01');
      await membro(db, id, person(1));
      await erogazione(db, { cf: person(2), istat, data: '2020-03-01' });
    }
    await cartella(db, 'OK', A, '2019-01-01');
    await membro(db, 'OK', person(3));
    const r = await run(db);
    expect(Object.keys(r).sort()).toEqual([A, B]);
    expect(r[A].cartelle_attive_siz).toBe(1);
    expect(r[A].utenti_in_carico_siz).toBe(1);
    expect(r[A].utenti_senza_cartella_periodo_siz + r[B].utenti_senza_cartella_periodo_siz).toBe(0);
    expect(r[B].cartelle_attive_siz).toBe(0);
    const rep = await latestReport(db);
    expect(rep!.ambito.digit_tot).toBe(5); // 1 of 20 declared by A and B
  });

  test('due turni di censimento: si usa il più recente, o quello richiesto', async () => {
    const db = get();
    await db.knex('censimento').where({ codice_istat: B }).del(); // B has no census at all
    await censimento(db, A, '2019-12-31', { cartelle_attive: 10 });
    await db.knex('censimento').where({ codice_istat: A, data_riferimento: E }).update({ cartelle_attive: 20 });
    await cartella(db, 'V1', A, '2018-01-01'); // active at both dates
    await cartella(db, 'V2', A, '2019-06-01', '2020-03-01'); // active at 31/12/2019 only
    await cartella(db, 'V3', A, '2020-02-01'); // active at 30/06/2020 only
    await cartella(db, 'V4', B, '2019-06-01', '2020-03-01');
    const latest = await run(db);
    expect(latest[A].data_riferimento).toBe(E);
    expect(latest[A].cartelle_attive_siz).toBe(2);
    expect(latest[A].cartelle_attive_dich).toBe(20);
    expect(latest[A].digit_tot).toBe(10);
    // B, without census, is counted at the ambito's latest round.
    expect(latest[B].data_riferimento).toBeNull();
    expect(latest[B].data_conteggio).toBe(E);
    expect(latest[B].cartelle_attive_siz).toBe(0);
    const asked = await run(db, '2026-11-22', {}, { dataRiferimento: '2019-12-31' });
    expect(asked[A].data_riferimento).toBe('2019-12-31');
    expect(asked[A].cartelle_attive_siz).toBe(2);
    expect(asked[A].cartelle_attive_dich).toBe(10);
    expect(asked[A].digit_tot).toBe(20);
    expect(asked[B].data_conteggio).toBe('2019-12-31');
    expect(asked[B].cartelle_attive_siz).toBe(1);
  });

  test('senza alcun censimento: conteggi alla data di estrazione SIZ, stato senza_censimento', async () => {
    const db = get();
    await db.knex('censimento').del();
    await db.knex('siz_tabelle').insert({ tabella: 'cartelle', checksum: 'x', righe: 1, importazione_id: 1, data_estrazione: '2026-11-21' });
    await cartella(db, 'W1', A, '2026-01-01');
    await cartella(db, 'W2', A, '2026-11-22'); // opened after the extraction date
    const r = await run(db);
    expect(r[A].data_conteggio).toBe('2026-11-21');
    expect(r[A].periodo_inizio).toBe('2026-01-01');
    expect(r[A].cartelle_attive_siz).toBe(1);
    expect(r[A].cartelle_aperte_periodo_siz).toBe(1);
    expect(r[A].stato).toBe('senza_censimento');
    expect(r[A].digit_tot).toBeNull();
    expect(r[A].mancanti_obiettivo).toBeNull();
  });
});

describeDb('riconciliazione: percentuali, cluster, gruppi, mancanti, stato', (get) => {
  beforeEach(async () => {
    await truncateAll(get());
    await nomenclatore(get());
  });

  /** n open cartelle for a comune (ids prefixed by the comune), tutela for the first `tutela`. */
  async function attive(istat: string, n: number, tutela = 0): Promise<void> {
    const rows = Array.from({ length: n }, (_, i) => ({ id_cartella: `${istat}-${i}`, codice_istat: istat, data_apertura: '2019-01-01', tutela_minori: i < tutela, riga: i + 1 }));
    for (let i = 0; i < rows.length; i += 500) await get().knex('cartelle').insert(rows.slice(i, i + 500));
  }

  test('percentuale: arrotondata a 2 decimali lontano da zero in aritmetica decimale; null se il dichiarato manca o è 0', async () => {
    const db = get();
    const casi: [string, number, number | null][] = [
      ['098001', 1, 32], // 3.125 -> 3.13
      ['098002', 2, 3], // 66.666... -> 66.67
      ['098003', 1, 8], // 12.5
      ['098004', 201, 20000], // 1.005 -> 1.01 (float would give 1.00)
      ['098005', 1, 800], // 0.125 -> 0.13
      ['098006', 3, 0], // declared 0: null
    ];
    for (const [istat, s, d] of casi) {
      await comune(db, istat);
      await attive(istat, s);
      await censimento(db, istat, E, { cartelle_attive: d ?? 0, cartelle_attive_tutela: null, utenti_in_carico: d === 0 ? 0 : null });
    }
    const r = await run(db);
    expect(r['098001'].digit_tot).toBe(3.13);
    expect(r['098002'].digit_tot).toBe(66.67);
    expect(r['098003'].digit_tot).toBe(12.5);
    expect(r['098004'].digit_tot).toBe(1.01);
    expect(r['098005'].digit_tot).toBe(0.13);
    expect(r['098006'].digit_tot).toBeNull();
    expect(r['098006'].stato).toBe('senza_censimento');
    expect(r['098006'].mancanti_obiettivo).toBeNull();
    const rep = (await latestReport(db))!;
    const c1 = rep.comuni.find((c) => c.codice_istat === '098001')!;
    expect(c1.metriche.cartelle_attive).toEqual({ siz: 1, dichiarato: 32, percentuale: 3.13 });
    expect(c1.metriche.cartelle_attive_tutela).toEqual({ siz: 0, dichiarato: null, percentuale: null }); // declared missing
    expect(c1.digit_tutela).toBeNull();
    const c6 = rep.comuni.find((c) => c.codice_istat === '098006')!;
    expect(c6.metriche.cartelle_attive).toEqual({ siz: 3, dichiarato: 0, percentuale: null });
    expect(c6.metriche.utenti_in_carico).toEqual({ siz: 0, dichiarato: 0, percentuale: null });
    expect(c6.data_riferimento).toBe(E);
  });

  test('cluster per popolazione: 20000, 10000, 5000, 3000, 1000 e 999', async () => {
    const db = get();
    const pops: [number, number][] = [[20000, 1], [19999, 2], [10000, 2], [5000, 3], [3000, 4], [1000, 5], [999, 6], [0, 6]];
    for (const [i, [p]] of pops.entries()) await comune(db, `09810${i}`, { popolazione: p });
    const r = await run(db);
    for (const [i, [p, cl]] of pops.entries()) {
      expect([p, r[`09810${i}`].cluster]).toEqual([p, cl]);
      expect(r[`09810${i}`].popolazione).toBe(p);
    }
  });

  test('digit_cluster, _tutela, distretto e ambito: somme sui soli comuni con dichiarato > 0', async () => {
    const db = get();
    // cluster 3 (5000-9999): A 6/10 (tutela 1/4), B 3/5 (tutela not declared), C no census (4), D declared 0 (2)
    await comune(db, '098001', { popolazione: 5000, distretto: 'Lodi' });
    await comune(db, '098002', { popolazione: 9999, distretto: 'Lodi' });
    await comune(db, '098003', { popolazione: 6000, distretto: 'Casale' });
    await comune(db, '098004', { popolazione: 7000, distretto: 'Casale' });
    // cluster 1: E 1/4 (tutela declared 0)
    await comune(db, '098005', { popolazione: 20000, distretto: 'Lodi' });
    await attive('098001', 6, 1);
    await attive('098002', 3, 2);
    await attive('098003', 4, 4);
    await attive('098004', 2, 1);
    await attive('098005', 1, 1);
    await censimento(db, '098001', E, { cartelle_attive: 10, cartelle_attive_tutela: 4 });
    await censimento(db, '098002', E, { cartelle_attive: 5, cartelle_attive_tutela: null });
    await censimento(db, '098004', E, { cartelle_attive: 0, cartelle_attive_tutela: 0 });
    await censimento(db, '098005', E, { cartelle_attive: 4, cartelle_attive_tutela: 0 });
    const r = await run(db);
    for (const c of ['098001', '098002', '098003', '098004']) {
      expect(r[c].cluster).toBe(3);
      expect(r[c].digit_cluster).toBe(60); // (6 + 3) / (10 + 5)
      expect(r[c].digit_cluster_tutela).toBe(25); // 1 / 4
    }
    expect(r['098005'].digit_cluster).toBe(25); // 1 / 4
    expect(r['098005'].digit_cluster_tutela).toBeNull();
    expect(r['098001'].digit_distretto).toBe(52.63); // (6 + 3 + 1) / (10 + 5 + 4) = 52.631...
    expect(r['098003'].digit_distretto).toBeNull(); // Casale: no declaration > 0
    expect(r['098004'].digit_ambito).toBe(52.63);
    const rep = (await latestReport(db))!;
    expect(rep.ambito).toEqual({ digit_tot: 52.63, digit_tutela: 25 });
  });

  test('mancanti_obiettivo: ceil(obiettivo × d / 100) - s, mai negativo, in aritmetica esatta', async () => {
    const db = get();
    const casi: [string, number, number | null][] = [
      ['098001', 30, 50], // ceil(80*50/100) = 40 -> 10
      ['098002', 0, 7], // ceil(5.6) = 6 -> 6
      ['098003', 9, 10], // needs 8, has 9 -> 0
      ['098004', 5, null], // no census -> null
      ['098005', 100, 250], // target 64.4: 64.4*250/100 = 161 exactly (float: 161.00000000000003)
    ];
    for (const [istat, s, d] of casi) {
      await comune(db, istat);
      await attive(istat, s);
      if (d != null) await censimento(db, istat, E, { cartelle_attive: d });
    }
    const r = await run(db);
    expect(r['098001'].mancanti_obiettivo).toBe(10);
    expect(r['098002'].mancanti_obiettivo).toBe(6);
    expect(r['098003'].mancanti_obiettivo).toBe(0);
    expect(r['098004'].mancanti_obiettivo).toBeNull();
    const r2 = await run(db, '2026-11-22', { OBIETTIVO: '64.4', SOGLIA_CRITICA: '50' });
    expect(r2['098005'].mancanti_obiettivo).toBe(61); // 161 - 100 (float arithmetic would say 62)
    expect(r2['098002'].mancanti_obiettivo).toBe(5); // ceil(64.4 * 7 / 100) = ceil(4.508) = 5
    const rep = (await latestReport(db))!;
    expect(rep.obiettivo).toBe(64.4);
  });

  test('stato (raggiunto, in_corso, critico, senza_censimento) e sopra_dichiarato, con obiettivo e soglia da configurazione', async () => {
    const db = get();
    const casi: [string, number, number | null][] = [
      ['098001', 8, 10], // 80.00 = target: raggiunto
      ['098002', 5, 10], // 50.00 = warning level: in_corso
      ['098003', 4999, 10000], // 49.99: critico
      ['098004', 11, 10], // 110: raggiunto and sopra_dichiarato
      ['098005', 10, 10], // 100: not above
      ['098006', 3, null], // no census: senza_censimento
    ];
    for (const [istat, s, d] of casi) {
      await comune(db, istat);
      await attive(istat, s);
      if (d != null) await censimento(db, istat, E, { cartelle_attive: d });
    }
    const r = await run(db);
    expect(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, [v.digit_tot, v.stato, v.sopra_dichiarato]]))).toEqual({
      '098001': [80, 'raggiunto', false],
      '098002': [50, 'in_corso', false],
      '098003': [49.99, 'critico', false],
      '098004': [110, 'raggiunto', true],
      '098005': [100, 'raggiunto', false],
      '098006': [null, 'senza_censimento', false],
    });
    const r2 = await run(db, '2026-11-22', { OBIETTIVO: '90', SOGLIA_CRITICA: '60' });
    expect(r2['098001'].stato).toBe('in_corso');
    expect(r2['098002'].stato).toBe('critico');
    expect(r2['098005'].stato).toBe('raggiunto');
  });
});
