/**
 * Every record-level check of docs/metriche.md, "Controlli di qualità dei dati": a data set that
 * triggers it and near-misses in the same data set that must not, on both engines. Data is loaded
 * through the real SIZ import, so `cf_valido` comes from the one check-character implementation.
 */
import { describeDb } from '../support/db';
import { BREMBIO, badCf, cf, check, ids, LODI, loadSiz, resetDb } from './helpers';

describeDb('qualita: controlli sui record', (get) => {
  beforeEach(async () => {
    await resetDb(get());
  });

  test('comune_mancante: empty or unknown codice_istat on cartelle, prestazioni, accessi; a 5-digit code padded is fine', async () => {
    await loadSiz(get(), {
      cartelle: [{ id: 'C1', istat: '98031' }, { id: 'C2', istat: null }, { id: 'C3', istat: '099999' }],
      membri: [{ c: 'C1', cf: cf(1) }, { c: 'C2', cf: cf(2) }, { c: 'C3', cf: cf(3) }],
      prestazioni: [{ id: 'P1', istat: null }, { id: 'P2' }],
      accessi: [{ id: 'A1', istat: '099999' }, { id: 'A2', istat: BREMBIO }],
    });
    const f = await check(get(), { controllo: 'comune_mancante' });
    expect(ids(f)).toEqual(['accessi:A1', 'cartelle:C2', 'cartelle:C3', 'prestazioni:P1']);
    expect(f.every((x) => x.codice_istat === null && x.gravita === 'errore')).toBe(true);
    expect(f.find((x) => x.id_record === 'C3')!.messaggio).toBe("Codice ISTAT 099999 non presente nell'anagrafica dei comuni");
    expect(f.find((x) => x.id_record === 'C2')!.messaggio).toBe('Codice ISTAT del comune mancante');
  });

  test('cf_non_valido: wrong check character or shape on membri, prestazioni, accessi; normalized valid CF and anonymous accesso are fine', async () => {
    await loadSiz(get(), {
      cartelle: [{ id: 'C1' }, { id: 'C2', istat: BREMBIO }],
      membri: [
        { c: 'C1', cf: cf(1) }, // line 2
        { c: 'C1', cf: badCf(2), ruolo: 'componente' }, // line 3
        { c: 'C2', cf: '12345678901', ruolo: 'componente' }, // line 4: provisional numeric code
        { c: 'C2', cf: cf(4).toLowerCase().replace(/(.{4})/g, '$1 ') }, // line 5: normalized at import, valid
      ],
      prestazioni: [{ id: 'P1', cf: badCf(5) }, { id: 'P2', cf: cf(5) }],
      accessi: [{ id: 'A1', cf: badCf(6) }, { id: 'A2', cf: null }],
    });
    const f = await check(get(), { controllo: 'cf_non_valido' });
    expect(f.map((x) => [x.tabella, x.id_record, x.codice_istat])).toEqual([
      ['accessi', 'A1', LODI],
      ['membri', 'C1/riga 3', LODI],
      ['membri', 'C2/riga 4', BREMBIO],
      ['prestazioni', 'P1', LODI],
    ]);
    expect(f.find((x) => x.id_record === 'C2/riga 4')!.messaggio).toBe('Codice fiscale non valido: 11 caratteri invece di 16');
    expect(f.find((x) => x.id_record === 'C1/riga 3')!.messaggio).toBe('Codice fiscale non valido: forma o carattere di controllo errati');
  });

  test('cf_mancante: an erogazione without CF (warning); an accesso without CF is not', async () => {
    await loadSiz(get(), {
      cartelle: [{ id: 'C1' }],
      membri: [{ c: 'C1', cf: cf(1) }],
      prestazioni: [{ id: 'P1', c: 'C1', cf: null }, { id: 'P2', cf: null }, { id: 'P3', cf: cf(1) }],
      accessi: [{ id: 'A1', cf: null }],
    });
    const f = await check(get(), { controllo: 'cf_mancante' });
    expect(ids(f)).toEqual(['prestazioni:P1', 'prestazioni:P2']);
    expect(f.every((x) => x.gravita === 'avviso')).toBe(true);
    expect(f[1].messaggio).toContain('né cartella');
  });

  test('date_incoerenti: closing before opening, member end before start or outside the cartella, dates after oggi; equal dates and today are coherent', async () => {
    await loadSiz(get(), {
      cartelle: [
        { id: 'C1', ap: '2025-06-01', ch: '2025-06-01' }, // near-miss: closed the day it opened
        { id: 'C2', ap: '2025-05-10', ch: '2025-05-01' }, // closing before opening
        { id: 'C3', ap: '2025-01-01' },
        { id: 'C4', ap: '2025-01-01', ch: '2025-12-31' },
        { id: 'C5', ap: '2025-01-01', ch: '2026-12-31' }, // closing after oggi
        { id: 'C6', ap: '2026-11-22' }, // opened today: fine
        { id: 'C7', ap: '2025-01-01', ch: '2025-12-31' },
      ],
      membri: [
        { c: 'C1', cf: cf(1) },
        { c: 'C2', cf: cf(2) },
        { c: 'C3', cf: cf(3) },
        { c: 'C3', cf: cf(4), ruolo: 'componente', inizio: '2025-03-01', fine: '2025-02-01' }, // line 5: end before start
        { c: 'C3', cf: cf(5), ruolo: 'componente', inizio: '2025-03-01', fine: '2025-03-01' }, // same day: fine
        { c: 'C4', cf: cf(6), inizio: '2025-01-01', fine: '2025-12-31' }, // exactly the cartella's dates: fine
        { c: 'C4', cf: cf(7), ruolo: 'componente', inizio: '2024-12-31' }, // line 8: before the opening
        { c: 'C5', cf: cf(8) },
        { c: 'C6', cf: cf(9) },
        { c: 'C7', cf: cf(10) },
        { c: 'C7', cf: cf(11), ruolo: 'componente', fine: '2026-01-15' }, // line 12: ends after the closing
      ],
      prestazioni: [{ id: 'P1', data: '2026-11-23' }, { id: 'P2', data: '2026-11-22' }],
      accessi: [{ id: 'A1', data: '2026-12-01' }, { id: 'A2', data: '2026-11-22' }],
    });
    const f = await check(get(), { controllo: 'date_incoerenti' });
    expect(ids(f)).toEqual(['accessi:A1', 'cartelle:C2', 'cartelle:C5', 'membri:C3/riga 5', 'membri:C4/riga 8', 'membri:C7/riga 12', 'prestazioni:P1']);
    const msg = Object.fromEntries(f.map((x) => [x.id_record, x.messaggio]));
    expect(msg.C2).toBe("Date incoerenti: chiusura precedente all'apertura");
    expect(msg.C5).toBe('Date incoerenti: chiusura nel futuro');
    expect(msg['C3/riga 5']).toBe('Date incoerenti: fine del componente precedente al suo inizio');
    expect(msg['C4/riga 8']).toBe("Date incoerenti: componente inserito prima dell'apertura della cartella");
    expect(msg['C7/riga 12']).toBe('Date incoerenti: fine del componente dopo la chiusura della cartella');
    expect(msg.P1).toBe('Date incoerenti: erogazione nel futuro');
  });

  test('date_incoerenti: "the future" is after the injected oggi, not the wall clock', async () => {
    await loadSiz(get(), { cartelle: [{ id: 'C1', ap: '2026-10-01' }], membri: [{ c: 'C1', cf: cf(1) }] });
    expect(ids(await check(get(), { controllo: 'date_incoerenti', oggi: '2026-09-30' }))).toEqual(['cartelle:C1']);
    expect(await check(get(), { controllo: 'date_incoerenti', oggi: '2026-10-01' })).toEqual([]);
  });

  test('cartella_senza_membri: a cartella with no member row; one whose only member has left still has a member row', async () => {
    await loadSiz(get(), {
      cartelle: [{ id: 'C1', ap: '2025-01-01' }, { id: 'C2' }],
      membri: [{ c: 'C1', cf: cf(1), fine: '2025-06-01' }, { c: 'C9', cf: cf(2) }],
    });
    const f = await check(get(), { controllo: 'cartella_senza_membri' });
    expect(f.map((x) => [x.tabella, x.id_record, x.codice_istat, x.gravita])).toEqual([['cartelle', 'C2', LODI, 'errore']]);
  });

  test('membro_cartella_inesistente: a member row of a cartella that does not exist is non attribuito; members of a closed cartella are fine', async () => {
    await loadSiz(get(), {
      cartelle: [{ id: 'C1', ap: '2024-01-01', ch: '2025-01-01' }],
      membri: [{ c: 'C1', cf: cf(1) }, { c: 'C404', cf: cf(2) }],
    });
    const f = await check(get(), { controllo: 'membro_cartella_inesistente' });
    expect(f.map((x) => [x.tabella, x.id_record, x.codice_istat])).toEqual([['membri', 'C404/riga 3', null]]);
    expect(f[0].messaggio).toBe('Componente di una cartella che non esiste (C404)');
  });

  test('cartelle_duplicate: same holder, same comune, open at the same time; sequential, other comune or non-holder are not', async () => {
    const X = cf(1), Y = cf(2), Z = cf(3), W = cf(4), V = cf(5);
    await loadSiz(get(), {
      cartelle: [
        { id: 'C1', ap: '2024-01-01' },
        { id: 'C2', ap: '2025-03-01' }, // duplicate of C1 (both open since 2025-03-01)
        { id: 'C3', ap: '2023-01-01', ch: '2024-01-01' },
        { id: 'C4', ap: '2024-01-01' }, // opens the day C3 closes: not a duplicate
        { id: 'C5', ap: '2024-01-01' },
        { id: 'C6', ap: '2024-01-01', istat: BREMBIO }, // other comune
        { id: 'C7', ap: '2024-01-01' },
        { id: 'C8', ap: '2024-01-01' }, // W is only a component here
        { id: 'C11', ap: '2024-01-01' },
        { id: 'C12', ap: '2024-06-01' }, // no ruolo given: the first member row is the holder
      ],
      membri: [
        { c: 'C1', cf: X }, { c: 'C2', cf: X },
        { c: 'C3', cf: Y }, { c: 'C4', cf: Y },
        { c: 'C5', cf: Z }, { c: 'C6', cf: Z },
        { c: 'C7', cf: W }, { c: 'C8', cf: cf(6) }, { c: 'C8', cf: W, ruolo: 'componente' },
        { c: 'C11', cf: V, ruolo: null }, { c: 'C12', cf: V, ruolo: null }, { c: 'C12', cf: cf(7), ruolo: null },
      ],
    });
    const f = await check(get(), { controllo: 'cartelle_duplicate' });
    expect(f.map((x) => [x.id_record, x.messaggio])).toEqual([
      ['C12', "Stesso titolare di un'altra cartella del comune aperta nello stesso periodo: C11"],
      ['C2', "Stesso titolare di un'altra cartella del comune aperta nello stesso periodo: C1"],
    ]);
  });

  test('cartelle_duplicate: once the earlier cartella is closed before the later opens, no finding', async () => {
    await loadSiz(get(), {
      cartelle: [{ id: 'C1', ap: '2024-01-01', ch: '2025-02-28' }, { id: 'C2', ap: '2025-03-01' }],
      membri: [{ c: 'C1', cf: cf(1) }, { c: 'C2', cf: cf(1) }],
    });
    expect(await check(get(), { controllo: 'cartelle_duplicate' })).toEqual([]);
  });

  test('importi_incoerenti: negative amounts, recoveries above cost, quota + recoveries != cost beyond 0.01', async () => {
    await loadSiz(get(), {
      cartelle: [{ id: 'C1' }],
      membri: [{ c: 'C1', cf: cf(1) }],
      prestazioni: [
        { id: 'P1', costo: '-10,00' },
        { id: 'P2', costo: '100', rec: ['60', '50', null, null] },
        { id: 'P3', costo: '100', quota: '50', rec: ['20', null, null, null] },
        { id: 'P4', costo: '100', quota: '79,99', rec: ['20', null, null, null] }, // 0.01 off: tolerated
        { id: 'P5', costo: '100', rec: [null, null, '100', null] }, // recoveries equal to cost
        { id: 'P6', costo: '0' },
        { id: 'P7', costo: '1.234,56', quota: '1.000,00', rec: ['234,56', null, null, null] },
      ],
    });
    const f = await check(get(), { controllo: 'importi_incoerenti' });
    expect(f.map((x) => [x.id_record, x.messaggio])).toEqual([
      ['P1', 'Importi incoerenti: importo negativo'],
      ['P2', 'Importi incoerenti: recuperi superiori al costo'],
      ['P3', 'Importi incoerenti: quota del comune più recuperi diversa dal costo'],
    ]);
  });

  test('importi_incoerenti without recoveries, and with other findings on the same erogazione', async () => {
    // The preparation tests first, without sums, whether a row can have incoherent amounts
    // (preparazione.sql, importi_possibili): these rows are on each side of that test.
    await loadSiz(get(), {
      cartelle: [{ id: 'C1' }],
      membri: [{ c: 'C1', cf: cf(1) }],
      prestazioni: [
        { id: 'P1', costo: '100', quota: '99,99' }, // 0.01 off without recoveries: tolerated
        { id: 'P2', costo: '100', quota: '99,98' },
        { id: 'P3', costo: '100', quota: '-5' },
        { id: 'P4', costo: '100', rec: ['-1', null, null, null] }, // quota computed at import: 101
        { id: 'P5', costo: '-1', cf: null, data: '2026-12-01' }, // also cf_mancante and date_incoerenti
        { id: 'P6', costo: '100', quota: '100', cf: null }, // cf_mancante only
        { id: 'P7', costo: '100', quota: '0', rec: ['40', '30', '20,01', '9,99'] }, // recoveries are the whole cost
      ],
    });
    const f = await check(get());
    expect(f.filter((x) => x.tabella === 'prestazioni').map((x) => [x.controllo, x.id_record, x.messaggio])).toEqual([
      ['cf_mancante', 'P5', 'Erogazione senza codice fiscale né cartella: beneficiario non identificabile'],
      ['cf_mancante', 'P6', 'Erogazione senza codice fiscale né cartella: beneficiario non identificabile'],
      ['date_incoerenti', 'P5', 'Date incoerenti: erogazione nel futuro'],
      ['importi_incoerenti', 'P2', 'Importi incoerenti: quota del comune più recuperi diversa dal costo'],
      ['importi_incoerenti', 'P3', 'Importi incoerenti: importo negativo; quota del comune più recuperi diversa dal costo'],
      ['importi_incoerenti', 'P4', 'Importi incoerenti: importo negativo'],
      ['importi_incoerenti', 'P5', 'Importi incoerenti: importo negativo'], // a negative cost: negative only
    ]);
  });

  test('codice_sconosciuto: code and parents missing from the nomenclature; a sub-code of a known code is known', async () => {
    await loadSiz(get(), {
      cartelle: [{ id: 'C1' }],
      membri: [{ c: 'C1', cf: cf(1) }],
      prestazioni: [
        { id: 'P1', codice: 'Z9.99' },
        { id: 'P2', codice: 'A1.04.02' }, // parent A1.04 is known
        { id: 'P3', codice: 'b2 - pasti' }, // cut and upper-cased at import: B2
        { id: 'P4', codice: 'A1' }, // parents are looked up, not children
      ],
    });
    const f = await check(get(), { controllo: 'codice_sconosciuto' });
    expect(f.map((x) => [x.id_record, x.gravita])).toEqual([['P1', 'avviso'], ['P4', 'avviso']]);
  });
});
