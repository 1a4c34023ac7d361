/**
 * The (cartella, code) pairs kept beside the erogazioni (migration
 * 20261209510000_prestazioni_codici): the SIZ import writes them with the erogazioni it loads, and
 * any other write of the erogazioni makes them be computed again. The meal/transport rule of the
 * reconciliation (docs/metriche.md, «Cartelle escluse») and the codes of the view
 * codici_prestazione read them, so a stale list shows as a wrong count here. Hand-computed, E =
 * 30/06/2020; nomenclature: PT meals (its child PT.01 inherits the flag), AX other.
 * Runs on PGlite and, with TEST_DATABASE_URL, PostgreSQL.
 */
import { describeDb, truncateAll } from '../support/db';
import { csv, tempFiles } from '../support/files';
import type { Database } from '../../server/db';
import { importSiz } from '../../server/importazione/siz';
import { censimento, comune, erogazione, nomenclatore, person, run } from './helpers';

const A = '098001';
const E = '2020-06-30';

const cartelle = csv([
  ['id_cartella', 'codice_istat', 'data_apertura', 'data_chiusura', 'tutela_minori'],
  ['C1', A, '2019-01-01', '', 'no'],
  ['C2', A, '2019-01-01', '', 'no'],
  ['C3', A, '2019-01-01', '', 'no'],
]);
const membri = csv([['id_cartella', 'codice_fiscale', 'data_inizio'], ['C1', person(1), '']]);
const TESTA = ['id_prestazione', 'id_cartella', 'codice_istat', 'codice_prestazione', 'data_erogazione', 'costo'];

function estratto(prestazioni: string[][]): string {
  return tempFiles({ 'cartelle.csv': cartelle, 'membri.csv': membri, 'prestazioni.csv': csv([TESTA, ...prestazioni]), 'estrazione.txt': '2026-11-21' });
}

/** The stored pairs, and whether they are the current ones (the proof row names `prestazioni`). */
async function coppie(db: Database): Promise<{ righe: string[]; attuali: boolean }> {
  const righe = (await db.knex('prestazioni_codici').select('id_cartella', 'codice_prestazione', 'primo')).map((r) => `${r.id_cartella ?? '-'} ${r.codice_prestazione} ${r.primo}`).sort();
  const [{ n }] = (await db.knex.raw(`select count(*) as n from prestazioni_codici_fonte where tabella = cast('prestazioni' as regclass)`)).rows;
  return { righe, attuali: Number(n) === 1 };
}

const codici = async (db: Database) => (await db.knex('codici_prestazione').orderBy('codice_prestazione')).map((r) => `${r.codice_prestazione} ${r.pasti_trasporti}`);

describeDb('riconciliazione: le coppie (cartella, codice) tenute dall\'importazione SIZ', (get) => {
  beforeEach(async () => {
    await truncateAll(get());
    await nomenclatore(get());
    await comune(get(), A);
    await censimento(get(), A, E, { cartelle_attive: 10 });
  });

  test('ogni importazione riscrive le coppie: un codice nuovo, un codice tolto, una prima data che cambia', async () => {
    const db = get();
    // C1: only a child code of PT up to E -> excluded. C2: PT up to E, AX only after E ->
    // excluded. C3: AX -> counted. One erogazione without a cartella (pair with no cartella).
    expect(
      (
        await importSiz(
          db,
          estratto([
            ['E1', 'C1', A, 'PT.01', '2020-03-01', '10'],
            ['E2', 'C2', A, 'PT', '2020-02-01', '10'],
            ['E3', 'C2', A, 'AX', '2020-09-01', '10'],
            ['E4', 'C3', A, 'AX', '2020-01-10', '10'],
            ['E5', 'C3', A, 'AX', '2020-05-10', '10'],
            ['E6', '', A, 'AX', '2020-04-01', '10'],
          ]),
        )
      ).esito,
    ).toBe('ok');
    expect(await coppie(db)).toEqual({
      righe: ['- AX 2020-04-01', 'C1 PT.01 2020-03-01', 'C2 AX 2020-09-01', 'C2 PT 2020-02-01', 'C3 AX 2020-01-10'],
      attuali: true,
    });
    expect((await run(db))[A].cartelle_attive_siz).toBe(1); // C3
    expect(await codici(db)).toEqual(['AX false', 'PT true', 'PT.01 true']);

    // Re-import: C1 gets AX (a pair seen only in this extract), C2's AX moves before E (its first
    // date changes), C3 loses AX and gets PT (AX leaves C3; PT.01 leaves the extract).
    expect(
      (
        await importSiz(
          db,
          estratto([
            ['E1', 'C1', A, 'PT', '2020-03-01', '10'],
            ['E7', 'C1', A, 'AX', '2020-05-01', '10'],
            ['E2', 'C2', A, 'PT', '2020-02-01', '10'],
            ['E3', 'C2', A, 'AX', '2020-04-01', '10'],
            ['E4', 'C3', A, 'PT', '2020-01-10', '10'],
            ['E6', '', A, 'AX', '2020-04-01', '10'],
          ]),
        )
      ).esito,
    ).toBe('ok');
    expect(await coppie(db)).toEqual({
      righe: ['- AX 2020-04-01', 'C1 AX 2020-05-01', 'C1 PT 2020-03-01', 'C2 AX 2020-04-01', 'C2 PT 2020-02-01', 'C3 PT 2020-01-10'],
      attuali: true,
    });
    expect((await run(db))[A].cartelle_attive_siz).toBe(2); // C1, C2; C3 now only meals
    expect(await codici(db)).toEqual(['AX false', 'PT true']);
  });

  test('scritte altrimenti (SQL diretto), le erogazioni valgono subito: le coppie salvate non sono più lette', async () => {
    const db = get();
    await importSiz(db, estratto([['E1', 'C1', A, 'PT', '2020-03-01', '10'], ['E2', 'C2', A, 'AX', '2020-03-01', '10'], ['E3', 'C3', A, 'PT', '2020-03-01', '10']]));
    expect((await coppie(db)).attuali).toBe(true);
    expect((await run(db))[A].cartelle_attive_siz).toBe(1); // C2

    // Insert: C1 gets a non-meal erogazione up to E, and a code no extract had.
    await erogazione(db, { cartella: 'C1', istat: A, codice: 'AX.05', data: '2020-06-30' });
    expect((await run(db))[A].cartelle_attive_siz).toBe(2); // C1, C2
    expect(await codici(db)).toEqual(['AX false', 'AX.05 false', 'PT true']);
    expect((await coppie(db)).attuali).toBe(false);

    // Update of a date: C1's AX.05 after E -> C1 only meals up to E again.
    await db.knex('prestazioni').where({ codice_prestazione: 'AX.05' }).update({ data_erogazione: '2020-07-01' });
    expect((await run(db))[A].cartelle_attive_siz).toBe(1);

    // Update of a code: C3's PT becomes AX.
    await db.knex('prestazioni').where({ id_cartella: 'C3' }).update({ codice_prestazione: 'AX' });
    expect((await run(db))[A].cartelle_attive_siz).toBe(2); // C2, C3

    // Delete: C2 loses its only erogazione -> no erogazione, counted as before (not excluded).
    await db.knex('prestazioni').where({ id_cartella: 'C2' }).del();
    expect((await run(db))[A].cartelle_attive_siz).toBe(2);
    expect(await codici(db)).toEqual(['AX false', 'AX.05 false', 'PT true']);

    // Delete of C3's AX: C3 without erogazioni is counted; C1 is PT up to E -> excluded.
    await db.knex('prestazioni').where({ id_cartella: 'C3' }).del();
    expect((await run(db))[A].cartelle_attive_siz).toBe(2);
    expect(await codici(db)).toEqual(['AX.05 false', 'PT true']);

    // Truncate: no erogazione at all, no cartella excluded.
    await db.knex.raw('truncate prestazioni');
    expect((await run(db))[A].cartelle_attive_siz).toBe(3);
    expect(await codici(db)).toEqual([]);
  });

  test('un aggiornamento di altre colonne non tocca le coppie: restano quelle salvate, e giuste', async () => {
    const db = get();
    await importSiz(db, estratto([['E1', 'C1', A, 'PT', '2020-03-01', '10'], ['E2', 'C2', A, 'AX', '2020-03-01', '10']]));
    await db.knex('prestazioni').update({ costo: 20, descrizione: 'altro' });
    expect((await coppie(db)).attuali).toBe(true);
    expect((await run(db))[A].cartelle_attive_siz).toBe(2); // C2, C3 (no erogazione)
  });
});
