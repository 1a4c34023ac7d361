/**
 * The checks that are not per record (campi_facoltativi_mancanti, caricamento_fermo,
 * sopra_dichiarato) and deceduto_con_cartella_aperta (which reads the registry): trigger and
 * near-miss on both engines.
 */
import type { Database } from '../../server/db';
import { describeDb } from '../support/db';
import { BREMBIO, cf, check, LODI, loadAnagrafe, loadSiz, resetDb, SANTANGELO } from './helpers';

/** A reconciliation run as the reconciliation feature stores it (only what the check reads matters). */
async function riconciliazione(db: Database, esito: 'ok' | 'errore', comuni: [string, number, number, number | null, boolean][]): Promise<void> {
  const [{ id }] = await db.knex('riconciliazioni').insert({ eseguita_il: new Date('2026-11-22T02:00:00Z'), oggi: '2026-11-22', obiettivo: 80, soglia_critica: 50, esito }).returning('id');
  const metriche = ['cartelle_attive', 'cartelle_attive_tutela', 'utenti_in_carico', 'utenti_in_carico_tutela', 'cartelle_aperte_periodo', 'utenti_nuovi_periodo', 'cartelle_chiuse_periodo', 'utenti_senza_cartella_periodo'];
  for (const [istat, siz, dich, digit, sopra] of comuni) {
    const row: Record<string, unknown> = { riconciliazione_id: id, codice_istat: istat, nome: istat, cluster: 1, distretto: 'Lodi', popolazione: 1000, data_conteggio: '2026-06-30', periodo_inizio: '2026-01-01', digit_tot: digit, stato: 'in_corso', sopra_dichiarato: sopra };
    for (const m of metriche) row[`${m}_siz`] = 0;
    row.cartelle_attive_siz = siz;
    row.cartelle_attive_dich = dich;
    await db.knex('riconciliazione_comuni').insert(row);
  }
}

describeDb('qualita: controlli per comune', (get) => {
  beforeEach(async () => {
    await resetDb(get());
  });

  test('campi_facoltativi_mancanti: a warning per comune and field above 5% (exactly 5% is not), with the percentage; it does not lower the score', async () => {
    const n = Array.from({ length: 20 }, (_, i) => i + 1);
    await loadSiz(get(), {
      cartelle: n.map((i) => ({ id: `C${i}`, area: i === 1 ? null : 'adulti', op: i === 2 || i === 3 ? null : 'OP1' })),
      membri: n.map((i) => ({ c: `C${i}`, cf: cf(i) })),
      accessi: [
        ...n.map((i) => ({ id: `A${i}`, motivo: i <= 2 ? null : 'CONTRIBUTO ECONOMICO', problema: i === 3 ? null : 'PRECARIETA' })),
        { id: 'A21', istat: BREMBIO, problema: null },
      ],
    });
    const f = await check(get(), { controllo: 'campi_facoltativi_mancanti' });
    expect(f.map((x) => [x.codice_istat, x.tabella, x.id_record, x.gravita, x.valore, x.messaggio])).toEqual([
      [BREMBIO, 'accessi', null, 'avviso', 100, 'Accessi senza problema riscontrato: 100,0% (1 su 1)'],
      [LODI, 'accessi', null, 'avviso', 10, 'Accessi senza motivo di accesso: 10,0% (2 su 20)'],
      [LODI, 'cartelle', null, 'avviso', 10, 'Cartelle senza operatore: 10,0% (2 su 20)'],
    ]);
    const lodi = await get().knex('qualita_comuni').where({ codice_istat: LODI }).first();
    expect([lodi.record, lodi.record_con_errori, lodi.punteggio]).toEqual([60, 0, 100]);
  });

  test('deceduto_con_cartella_aperta: deceased in the latest snapshot of any comune, member of an open cartella; closed cartella, ended membership or an older snapshot are not', async () => {
    const [X, Y, W, Z, V, U] = [1, 2, 3, 4, 5, 6].map((i) => cf(i));
    await loadSiz(get(), {
      cartelle: [
        { id: 'C1', ap: '2025-01-01' },
        { id: 'C2', ap: '2024-01-01', ch: '2026-06-01' },
        { id: 'C3', ap: '2025-01-01' },
        { id: 'C4', ap: '2025-01-01' },
      ],
      membri: [
        { c: 'C1', cf: X }, // line 2
        { c: 'C1', cf: Y, ruolo: 'componente' }, // line 3: deceased, cartella open
        { c: 'C1', cf: W, ruolo: 'componente', fine: '2026-10-01' }, // line 4: deceased, membership ended
        { c: 'C2', cf: Z }, // line 5: deceased, cartella closed
        { c: 'C3', cf: V }, // line 6: deceased only in the older snapshot
        { c: 'C4', cf: U }, // line 7: deceased in another comune's snapshot
      ],
    });
    await loadAnagrafe(get(), '2026-10-01', [{ cf: Y }, { cf: W }, { cf: Z }, { cf: V, stato: 'deceduto' }]);
    await loadAnagrafe(get(), '2026-11-20', [{ cf: Y, stato: 'deceduto' }, { cf: W, stato: 'deceduto' }, { cf: Z, stato: 'deceduto' }, { cf: V }]);
    await loadAnagrafe(get(), '2026-11-15', [{ cf: U, istat: BREMBIO, stato: 'deceduto' }]);
    // A snapshot dated after "today" is not known yet on that day.
    await loadAnagrafe(get(), '2026-11-25', [{ cf: X, istat: SANTANGELO, stato: 'deceduto' }]);

    const f = await check(get(), { controllo: 'deceduto_con_cartella_aperta' });
    expect(f.map((x) => [x.id_record, x.codice_istat, x.gravita])).toEqual([
      ['C1/riga 3', LODI, 'errore'],
      ['C4/riga 7', LODI, 'errore'],
    ]);
    expect(f[0].messaggio).toBe("Persona deceduta secondo l'anagrafe (estrazione del 20/11/2026) ancora componente di una cartella aperta: chiudere la cartella e fermare le erogazioni");
    expect(f[1].messaggio).toContain('15/11/2026');

    const later = await check(get(), { controllo: 'deceduto_con_cartella_aperta', oggi: '2026-11-25' });
    expect(later.map((x) => x.id_record)).toEqual(['C1/riga 2', 'C1/riga 3', 'C4/riga 7']);
  });

  test('caricamento_fermo: no dated activity in [oggi - 60, oggi]; a member start exactly 60 days ago counts, a future date does not', async () => {
    await loadSiz(get(), {
      cartelle: [{ id: 'C1', ap: '2024-01-01' }, { id: 'C2', ap: '2026-09-22', istat: BREMBIO }],
      membri: [{ c: 'C1', cf: cf(1), inizio: '2026-09-23' }, { c: 'C2', cf: cf(2) }],
      accessi: [{ id: 'A1', istat: BREMBIO, data: '2026-12-01' }],
    });
    const f = await check(get(), { controllo: 'caricamento_fermo' });
    expect(f.map((x) => [x.codice_istat, x.tabella, x.id_record, x.gravita, x.valore, x.messaggio])).toEqual([
      [BREMBIO, 'comuni', null, 'avviso', 61, "Nessun nuovo dato negli ultimi 60 giorni: l'ultimo (cartella, componente, accesso o erogazione) è del 22/09/2026"],
      [SANTANGELO, 'comuni', null, 'avviso', null, 'Nessun dato caricato in SIZ per il comune'],
    ]);
  });

  test('caricamento_fermo: erogazioni count; the window moves with oggi; inactive comuni are not checked', async () => {
    await loadSiz(get(), {
      cartelle: [{ id: 'C1', ap: '2024-01-01' }],
      membri: [{ c: 'C1', cf: cf(1) }],
      prestazioni: [{ id: 'P1', data: '2026-10-01' }],
      accessi: [{ id: 'A1', data: '2026-09-01' }],
    });
    await get().knex('comuni').whereIn('codice_istat', [BREMBIO, SANTANGELO]).update({ attivo: false });
    expect(await check(get(), { controllo: 'caricamento_fermo', oggi: '2026-11-30' })).toEqual([]);
    const f = await check(get(), { controllo: 'caricamento_fermo', oggi: '2026-12-01' });
    expect(f.map((x) => [x.codice_istat, x.valore])).toEqual([[LODI, 61]]);
  });

  test('sopra_dichiarato: comuni flagged by the latest reconciliation run with esito ok; older or failed runs are ignored', async () => {
    await loadSiz(get(), { cartelle: [{ id: 'C1' }], membri: [{ c: 'C1', cf: cf(1) }] });
    await riconciliazione(get(), 'ok', [[LODI, 12, 10, 120, true], [BREMBIO, 5, 10, 50, false]]);
    await riconciliazione(get(), 'ok', [[LODI, 10, 10, 100, false], [BREMBIO, 9, 8, 112.5, true]]);
    await riconciliazione(get(), 'errore', [[SANTANGELO, 30, 10, 300, true]]);
    const f = await check(get(), { controllo: 'sopra_dichiarato' });
    expect(f.map((x) => [x.codice_istat, x.tabella, x.id_record, x.gravita, x.valore, x.messaggio])).toEqual([
      [BREMBIO, 'comuni', null, 'avviso', 112.5, 'Cartelle attive in SIZ (9) più di quelle dichiarate nel censimento (8): digitalizzazione al 112,50%, da verificare con il comune'],
    ]);
  });

  test('sopra_dichiarato: no finding before any reconciliation', async () => {
    await loadSiz(get(), { cartelle: [{ id: 'C1' }], membri: [{ c: 'C1', cf: cf(1) }] });
    expect(await check(get(), { controllo: 'sopra_dichiarato' })).toEqual([]);
  });
});
