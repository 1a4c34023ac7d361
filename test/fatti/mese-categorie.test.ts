/**
 * The facts of month over month (sql/queries/fatti/mese.sql: fatti_mese and fatti_mese_top in
 * one pass) and of the sportello's categories (sql/queries/cruscotto/anni_categorie.sql: motivi
 * and problemi as two grouping sets of one aggregate), on a hand-computed case at the edges of
 * their rules: an accesso without a motivo is counted in the month but is no motivo; an accesso
 * with a problema and no motivo is a problema, one with both is both, one with neither is in no
 * list; a new cartella is counted in the month and in no list; erogazioni per codice; a comune
 * that is not active counts nowhere; the month before is its own month. The page's own queries
 * (sql/queries/cruscotto/mese.sql, mese_top.sql) give the same rows.
 */
import { describeDb } from '../support/db';
import { calcolaFatti } from '../../server/fatti/calcola';
import { sqlText } from '../../server/shared/sql';
import { cartella, comune, erogazione, nomenclatore, person } from '../riconciliazione/helpers';

type Riga = Record<string, string | number>;
const testo = (rows: Riga[], ...colonne: string[]) => rows.map((r) => colonne.map((c) => (c === 'n' ? Number(r[c]) : r[c])).join(' ')).sort();

describeDb('fatti di mese su mese e delle categorie dello sportello: casi calcolati a mano', (get) => {
  test('senza motivo, senza problema, con entrambi; cartelle; comune non attivo; mese precedente', async () => {
    const db = get();
    await nomenclatore(db);
    await comune(db, '098031');
    await comune(db, '098005', { attivo: false });
    let riga = 1;
    const accesso = (id: string, istat: string, data: string, motivo: string | null, problema: string | null) =>
      db.knex('accessi').insert({ id_accesso: id, codice_fiscale: person(riga), cf_valido: true, codice_istat: istat, data_accesso: data, data_nascita: '1990-05-05', motivo_accesso: motivo, problema_riscontrato: problema, riga: riga++ });
    // October 2026 in 098031 (adults: born 1990).
    await accesso('A1', '098031', '2026-10-01', 'CASA', null);
    await accesso('A2', '098031', '2026-10-15', null, 'DISAGIO');
    await accesso('A3', '098031', '2026-10-31', 'CASA', 'DISAGIO');
    await accesso('A4', '098031', '2026-10-20', null, null);
    // September 2026: its own month.
    await accesso('A5', '098031', '2026-09-30', 'LAVORO', null);
    // Not active: nowhere.
    await accesso('A6', '098005', '2026-10-10', 'CASA', 'DISAGIO');
    await cartella(db, 'K1', '098031', '2026-10-05');
    await cartella(db, 'K2', '098005', '2026-10-05');
    await erogazione(db, { istat: '098031', codice: 'AX', data: '2026-10-02' });
    await erogazione(db, { istat: '098031', codice: 'AX', data: '2026-10-03' });
    await erogazione(db, { istat: '098031', codice: 'PT', data: '2026-10-31' });
    await erogazione(db, { istat: '098005', codice: 'PT', data: '2026-10-31' });

    await calcolaFatti(db, '2026-11-22');
    const mese = testo(await db.knex('fatti_mese').whereIn('mese', ['2026-09', '2026-10']).select(), 'mese', 'misura', 'codice_istat', 'area', 'n');
    expect(mese).toEqual(['2026-09 accessi 098031 adulti 1', '2026-10 accessi 098031 adulti 4', '2026-10 cartelle 098031 non_indicata 1', '2026-10 erogazioni 098031 non_indicata 3']);
    const top = testo(await db.knex('fatti_mese_top').whereIn('mese', ['2026-09', '2026-10']).select(), 'mese', 'lista', 'codice_istat', 'categoria', 'area', 'n');
    expect(top).toEqual([
      '2026-09 motivi 098031 LAVORO adulti 1',
      '2026-10 motivi 098031 CASA adulti 2',
      '2026-10 prestazioni 098031 AX non_indicata 2',
      '2026-10 prestazioni 098031 PT non_indicata 1',
    ]);
    const categorie = testo(await db.knex('fatti_sportello_categorie').where({ anno: 2026 }).select(), 'lista', 'codice_istat', 'area', 'categoria', 'n');
    expect(categorie).toEqual(['motivi 098031 adulti CASA 2', 'motivi 098031 adulti LAVORO 1', 'problemi 098031 adulti DISAGIO 2']);

    // The page's own queries, for October and the month before.
    const periodo = { inizio: '2026-10-01', fine: '2026-10-31', inizio_prec: '2026-09-01', fine_prec: '2026-09-30', righe_da: '2026-09-01', righe_a: '2026-10-31' };
    const pagina = (await db.knex.raw(sqlText('cruscotto', 'mese_righe') + sqlText('cruscotto', 'mese'), periodo)).rows as Riga[];
    expect(testo(pagina, 'misura', 'codice_istat', 'area', 'n')).toEqual(['accessi_mese 098031 adulti 4', 'accessi_prec 098031 adulti 1', 'cartelle_mese 098031 non_indicata 1', 'erogazioni_mese 098031 non_indicata 3']);
    const paginaTop = (await db.knex.raw(sqlText('cruscotto', 'mese_top'), periodo)).rows as Riga[];
    expect(testo(paginaTop, 'lista', 'codice_istat', 'categoria', 'area', 'n')).toEqual(top.filter((r) => r.startsWith('2026-10')).map((r) => r.slice(8)));
  });
});
