/**
 * A small, hand-made ambito for the analysis tests (docs/analisi.md). Period used by the tests:
 * dal 2025-11-01, al 2026-02-28 (it crosses the year). Every figure is worked out by hand below.
 *
 * Lodi 098031                                     inizio  periodo  chiuse  fine
 *   L1  2024-01-01 ..            OP1                1                      1
 *   L2  2025-06-01 .. 2025-12-15 OP1                1                1
 *   L3  2025-11-01 ..            OP2  (a = dal)             1              1
 *   L4  2026-01-10 .. 2026-02-28 OP2  (z = al)              1        1
 *   L5  2025-10-31 .. 2025-11-01 no operatore       1                1
 *   L6  2026-01-05 .. 2025-12-01 OP1  incoerente: not counted (date_incoerenti 1)
 *   L7  2025-01-01 .. 2025-10-31 OP3  closed before dal: nothing
 *   L8  2026-03-01 ..            OP3  opened after al: nothing
 *   L9  2025-01-01 ..            OP3  only meals by al: esclusa
 *   L10 2025-12-01 ..            OP2  meals by al, a contribution after al: esclusa at al
 *   L11 2024-05-01 ..            OP4  meals and a contribution: counted  1              1
 *                                                     4       2        3      3  (4+2-3=3)
 * Brembio 098010
 *   B1  2025-12-31 .. 2026-01-01 OP1                        1        1
 *   B2  2023-03-03 .. 2022-01-01 OP4  incoerente (z <= al)
 *   B3  2026-02-28 ..            OP1                        1              1
 *   B4  2026-01-15 .. 2025-06-01 no operatore, incoerente (z <= al)
 *   B5  2026-05-01 .. 2026-04-01 incoerente but z after al: not in reach
 *   B6..B9 2020-01-01 ..         OP5                4                      4
 *                                                     4       2        1      5  (4+2-1=5)
 *   X1 with no comune: never counted.
 */
import type { Database } from '../../server/db';
import { normalizeName } from '../../server/importazione/valori';

export const LODI = '098031';
export const BREMBIO = '098010';
export const DAL = '2025-11-01';
export const AL = '2026-02-28';

export async function caricaAnalisi(db: Database): Promise<void> {
  let riga = 1;
  await db.knex('comuni').insert([
    { codice_istat: LODI, nome: 'Lodi', nome_norm: normalizeName('Lodi'), popolazione: 60, distretto: 'Lodi' },
    { codice_istat: BREMBIO, nome: 'Brembio', nome_norm: normalizeName('Brembio'), popolazione: 40, distretto: 'Casalpusterlengo' },
  ]);
  const c = (id: string, istat: string | null, a: string, z: string | null, op: string | null) => ({ id_cartella: id, codice_istat: istat, data_apertura: a, data_chiusura: z, area_utenza: null, tutela_minori: false, operatore_id: op, riga: riga++ });
  await db.knex('cartelle').insert([
    c('L1', LODI, '2024-01-01', null, 'OP1'),
    c('L2', LODI, '2025-06-01', '2025-12-15', 'OP1'),
    c('L3', LODI, '2025-11-01', null, 'OP2'),
    c('L4', LODI, '2026-01-10', '2026-02-28', 'OP2'),
    c('L5', LODI, '2025-10-31', '2025-11-01', null),
    c('L6', LODI, '2026-01-05', '2025-12-01', 'OP1'),
    c('L7', LODI, '2025-01-01', '2025-10-31', 'OP3'),
    c('L8', LODI, '2026-03-01', null, 'OP3'),
    c('L9', LODI, '2025-01-01', null, 'OP3'),
    c('L10', LODI, '2025-12-01', null, 'OP2'),
    c('L11', LODI, '2024-05-01', null, 'OP4'),
    c('B1', BREMBIO, '2025-12-31', '2026-01-01', 'OP1'),
    c('B2', BREMBIO, '2023-03-03', '2022-01-01', 'OP4'),
    c('B3', BREMBIO, '2026-02-28', null, 'OP1'),
    c('B4', BREMBIO, '2026-01-15', '2025-06-01', null),
    c('B5', BREMBIO, '2026-05-01', '2026-04-01', null),
    c('B6', BREMBIO, '2020-01-01', null, 'OP5'),
    c('B7', BREMBIO, '2020-01-01', null, 'OP5'),
    c('B8', BREMBIO, '2020-01-01', null, 'OP5'),
    c('B9', BREMBIO, '2020-01-01', null, 'OP5'),
    c('X1', null, '2020-01-01', null, 'OP1'),
  ]);
  // People in charge at al: OP1/Lodi {A} (B left on 2026-01-31), OP4/Lodi {A} (D starts after al),
  // OP2/Lodi {E, F}, OP1/Brembio {A}, OP5/Brembio {G} (G is in two cartelle), no operatore/Lodi 0.
  const m = (id: string, cf: string, inizio: string | null = null, fine: string | null = null) => ({ riga: riga++, id_cartella: id, codice_fiscale: cf, cf_valido: false, ruolo: null, data_inizio: inizio, data_fine: fine, data_nascita: null, data_nascita_cf: null });
  await db.knex('membri').insert([
    m('L1', 'CFA'),
    m('L1', 'CFB', null, '2026-01-31'),
    m('L2', 'CFC'),
    m('L11', 'CFA'),
    m('L11', 'CFD', '2026-03-15'),
    m('L3', 'CFE'),
    m('L3', 'CFF'),
    m('B3', 'CFA'),
    m('B6', 'CFG'),
    m('B7', 'CFG'),
  ]);
  await db.knex('nomenclatore').insert([
    { codice: 'S01', descrizione: 'Pasti a domicilio', macro_area: null, pasti_trasporti: true },
    { codice: 'A1.04', descrizione: 'Contributi economici', macro_area: null, pasti_trasporti: false },
  ]);
  const p = (id: string, cart: string, codice: string, data: string) => ({ id_prestazione: id, id_cartella: cart, codice_fiscale: null, cf_valido: null, codice_istat: LODI, codice_prestazione: codice, descrizione: null, data_erogazione: data, costo: 10, quota_comune: 10, quota_comune_indicata: true, recupero_assistito: 0, recupero_famiglia: 0, recupero_altri_enti: 0, recupero_altri: 0, riga: riga++ });
  await db.knex('prestazioni').insert([
    p('P1', 'L9', 'S01', '2025-05-01'),
    p('P2', 'L10', 'S01', '2025-12-05'),
    p('P3', 'L10', 'A1.04', '2026-03-10'),
    p('P4', 'L11', 'S01', '2025-01-01'),
    p('P5', 'L11', 'A1.04', '2025-02-01'),
  ]);
  const o = (id: string, nome: string, cognome: string, email: string | null, istat: string | null) => ({ operatore_id: id, nome, cognome, email, codice_istat: istat, riga: riga++ });
  await db.knex('operatori').insert([
    o('OP1', 'Maria', 'Rossi', 'maria.rossi@test.example', LODI),
    o('OP2', 'Luca', 'Bianchi', null, LODI),
    o('OP3', 'Anna', 'Verdi', ' ', BREMBIO),
    o('OP5', 'Paolo', 'Neri', 'paolo.neri@test.example', BREMBIO),
  ]);
  await db.knex('siz_tabelle').insert({ tabella: 'cartelle', checksum: 'x', righe: 21, importazione_id: 1, data_estrazione: '2026-11-21' });
}
