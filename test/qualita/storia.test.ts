/**
 * History: each run keeps its findings; per comune, what is new and what was fixed since the
 * previous run, and the score. The acceptance case: fix some records in SIZ, re-import the
 * extract with the real import, re-run: they show as fixed and the score rises.
 */
import { describeDb } from '../support/db';
import { findings, history, latestRun, latestSummary, runQualita, storiaComune } from '../../server/qualita/service';
import { up as codiciPrestazione } from '../../sql/migrations/20261122000200_codici_prestazione';
import { badCf, BREMBIO, cf, LODI, loadSiz, resetDb, Siz, testCtx } from './helpers';

const [X, Y, Z, W, T] = [1, 2, 3, 4, 5].map((i) => cf(i));
const V = badCf(6);

/** Extract 1, comune of Lodi: 14 records (4 cartelle, 6 members, 2 erogazioni, 2 accessi), 4 with errors. */
const estrazione1: Siz = {
  estrazione: '2026-11-20',
  cartelle: [{ id: 'C1' }, { id: 'C2', ap: '2026-10-10', ch: '2026-10-01' }, { id: 'C3' }, { id: 'C4' }],
  membri: [
    { c: 'C1', cf: X }, // line 2
    { c: 'C1', cf: badCf(7), ruolo: 'componente' }, // line 3: cf_non_valido (fixed in extract 2)
    { c: 'C2', cf: Y }, // line 4
    { c: 'C3', cf: Z }, // line 5
    { c: 'C4', cf: W }, // line 6
    { c: 'C4', cf: V, ruolo: 'componente' }, // line 7: cf_non_valido (still wrong in extract 2)
  ],
  prestazioni: [{ id: 'P1' }, { id: 'P2', costo: '-50' }],
  accessi: [{ id: 'A1' }, { id: 'A2' }],
};

/**
 * Extract 2: C2's closing date and C1's member CF fixed; a new cartella C5 whose member row is
 * the first line of membri.csv (every other member moves one line down); a new accesso dated in
 * the future. 17 records, 3 with errors (C4's member, P2, A3).
 */
const estrazione2: Siz = {
  estrazione: '2026-11-21',
  cartelle: [{ id: 'C1' }, { id: 'C2', ap: '2026-10-10' }, { id: 'C3' }, { id: 'C4' }, { id: 'C5' }],
  membri: [
    { c: 'C5', cf: T }, // line 2
    { c: 'C1', cf: X },
    { c: 'C1', cf: cf(7), ruolo: 'componente' },
    { c: 'C2', cf: Y },
    { c: 'C3', cf: Z },
    { c: 'C4', cf: W },
    { c: 'C4', cf: V, ruolo: 'componente' }, // line 8 now
  ],
  prestazioni: [{ id: 'P1' }, { id: 'P2', costo: '-50' }],
  accessi: [{ id: 'A1' }, { id: 'A2' }, { id: 'A3', data: '2026-12-24' }],
};

describeDb('qualita: storia, nuove e risolte', (get) => {
  beforeEach(async () => {
    await resetDb(get());
  });

  test('after fixing records and re-importing, they show as fixed, the new problem as new, and the score rises', async () => {
    const ctx = testCtx(get());
    await loadSiz(get(), estrazione1);
    const r1 = await runQualita(ctx);
    expect([r1.nuovi, r1.risolti, r1.precedente_id]).toEqual([null, null, null]);
    const s1 = (await latestSummary(get()))!;
    const lodi1 = s1.comuni.find((c) => c.codice_istat === LODI)!;
    // 100 * (14 - 4) / 14 = 71.428... -> 71.43
    expect([lodi1.record, lodi1.record_con_errori, lodi1.punteggio, lodi1.nuovi, lodi1.risolti]).toEqual([14, 4, 71.43, null, null]);
    expect(lodi1.controlli).toEqual({ cf_non_valido: 2, date_incoerenti: 1, importi_incoerenti: 1 });
    expect((await findings(get(), { comune: LODI })).map((f) => [f.id_record, f.nuovo])).toEqual([
      ['C1/riga 3', false], ['C4/riga 7', false], ['C2', false], ['P2', false], // nothing is "new" on the first run
    ]);

    await loadSiz(get(), estrazione2);
    const r2 = await runQualita(ctx);
    expect([r2.precedente_id, r2.nuovi, r2.risolti]).toEqual([r1.esecuzione_id, 1, 2]);
    const s2 = (await latestSummary(get()))!;
    const lodi2 = s2.comuni.find((c) => c.codice_istat === LODI)!;
    // 100 * (17 - 3) / 17 = 82.352... -> 82.35
    expect([lodi2.record, lodi2.record_con_errori, lodi2.punteggio, lodi2.nuovi, lodi2.risolti]).toEqual([17, 3, 82.35, 1, 2]);
    expect(lodi2.punteggio!).toBeGreaterThan(lodi1.punteggio!);
    // The member still wrong moved from line 7 to line 8: same finding, neither new nor fixed.
    expect((await findings(get(), { comune: LODI })).map((f) => [f.controllo, f.id_record, f.nuovo])).toEqual([
      ['cf_non_valido', 'C4/riga 8', false],
      ['date_incoerenti', 'A3', true],
      ['importi_incoerenti', 'P2', false],
    ]);
    // The comune-level warnings of the other comuni did not change: 0 new, 0 fixed.
    const brembio = s2.comuni.find((c) => c.codice_istat === BREMBIO)!;
    expect([brembio.controlli, brembio.nuovi, brembio.risolti, brembio.punteggio]).toEqual([{ caricamento_fermo: 1 }, 0, 0, null]);
  });

  test('a run with nothing changed has 0 new and 0 fixed; history keeps every run with its ambito score', async () => {
    const ctx = testCtx(get());
    await loadSiz(get(), estrazione1);
    await runQualita(ctx);
    const again = await runQualita(ctx);
    expect([again.nuovi, again.risolti]).toEqual([0, 0]);
    await loadSiz(get(), estrazione2);
    await runQualita(ctx);
    const h = await history(get());
    expect(h.map((e) => e.punteggio)).toEqual([82.35, 71.43, 71.43]);
    expect(h[0].precedente_id).toBe(h[1].id);
    expect(h[2].precedente_id).toBeNull();
    const lodi = await storiaComune(get(), LODI);
    expect(lodi.map((p) => [p.punteggio, p.record, p.record_con_errori, p.nuovi, p.risolti])).toEqual([
      [71.43, 14, 4, null, null],
      [71.43, 14, 4, 0, 0],
      [82.35, 17, 3, 1, 2],
    ]);
    expect(lodi[2].eseguita_il).toBe('2026-11-22T11:00:00Z');
  });

  test('the findings of runs older than the latest 30 are pruned, their per-comune summaries kept', async () => {
    const ctx = testCtx(get());
    await loadSiz(get(), estrazione1);
    for (let i = 0; i < 31; i++) await runQualita(ctx);
    const runs = await get().knex('qualita_esecuzioni').orderBy('id').select('id');
    const withDetail = await get().knex('qualita_risultati').distinct('esecuzione_id').orderBy('esecuzione_id');
    expect(withDetail.map((r) => r.esecuzione_id)).toEqual(runs.slice(1).map((r) => r.id));
    const [{ n }] = await get().knex('qualita_comuni').where({ esecuzione_id: runs[0].id }).count('* as n');
    expect(n).toBe(4); // three comuni + non attribuito
  }, 120_000);

  test('a failed run is recorded with esito errore, rolls back its findings and leaves the previous run as the latest', async () => {
    const ctx = testCtx(get());
    await loadSiz(get(), estrazione1);
    const ok = await runQualita(ctx);
    await get().knex.raw('drop view codici_prestazione'); // a check's input disappears
    try {
      await expect(runQualita(ctx)).rejects.toThrow(/codici_prestazione/);
    } finally {
      await codiciPrestazione(get().knex);
    }
    const runs = await get().knex('qualita_esecuzioni').orderBy('id').select('id', 'esito', 'errore');
    expect(runs.map((r) => r.esito)).toEqual(['ok', 'errore']);
    expect(runs[1].errore).toContain('codici_prestazione');
    const [{ n }] = await get().knex('qualita_risultati').whereNot({ esecuzione_id: ok.esecuzione_id }).count('* as n');
    expect(n).toBe(0);
    expect((await latestRun(get()))!.id).toBe(ok.esecuzione_id);
    expect((await runQualita(ctx)).precedente_id).toBe(ok.esecuzione_id);
  });
});
