/**
 * A small, hand-made ambito for the cruscotto tests: three comuni, a few accessi, cartelle,
 * members and erogazioni, whose figures are worked out by hand in test/cruscotto/cifre.test.ts.
 *
 *   comuni: Lodi 098031 (60 residents, cluster 6, distretto Lodi),
 *           Brembio 098010 (40 residents, cluster 6, distretto Casalpusterlengo),
 *           Sant'Angelo Lodigiano 098047 (13000 residents, cluster 2, its own distretto).
 */
import type { Database } from '../../server/db';
import { birthDateFromCf } from '../../server/shared/cf';
import { normalizeName } from '../../server/importazione/valori';
import { CF } from '../support/fixtures';

export const LODI = '098031';
export const BREMBIO = '098010';
export const SANTANGELO = '098047';

let riga = 1;
const dn = (cf: string | null) => (cf ? birthDateFromCf(cf, '2026-11-21') : null);

export async function caricaDati(db: Database): Promise<void> {
  const comuni: [string, string, number, string][] = [
    [LODI, 'Lodi', 60, 'Lodi'],
    [BREMBIO, 'Brembio', 40, 'Casalpusterlengo'],
    [SANTANGELO, "Sant'Angelo Lodigiano", 13000, "Sant'Angelo Lodigiano"],
  ];
  await db.knex('comuni').insert(comuni.map(([codice_istat, nome, popolazione, distretto]) => ({ codice_istat, nome, nome_norm: normalizeName(nome), popolazione, distretto })));
  const acc = (id: string, cf: string | null, istat: string | null, data: string, motivo: string | null, problema: string | null, area: string | null = null) => ({
    id_accesso: id,
    codice_fiscale: cf,
    cf_valido: cf ? true : null,
    codice_istat: istat,
    data_accesso: data,
    data_nascita: null,
    data_nascita_cf: dn(cf),
    area_utenza: area,
    motivo_accesso: motivo,
    problema_riscontrato: problema,
    punto_accesso: null,
    riga: riga++,
  });
  await db.knex('accessi').insert([
    acc('A1', CF.mario, LODI, '2024-05-01', 'LAVORO', null),
    acc('A2', CF.mario, LODI, '2025-02-01', 'LAVORO', 'DISOCCUPAZIONE'),
    acc('A3', CF.anna, LODI, '2025-03-01', 'CASA', 'PROBLEMI ABITATIVI'),
    acc('A4', CF.anna, LODI, '2025-03-01', 'CASA', null),
    acc('A5', CF.luca, BREMBIO, '2025-06-10', 'CASA', 'DISAGIO'),
    acc('A6', CF.mario, BREMBIO, '2025-07-01', 'LAVORO', 'DISOCCUPAZIONE'),
    acc('A7', null, LODI, '2025-08-01', null, null, 'anziani'),
    acc('A8', CF.nonna, null, '2025-09-01', 'CASA', null),
    acc('A9', CF.anna, LODI, '2026-01-10', 'CASA', null),
  ]);
  const cart = (id: string, istat: string, apertura: string, chiusura: string | null, area: string | null) => ({ id_cartella: id, codice_istat: istat, data_apertura: apertura, data_chiusura: chiusura, area_utenza: area, tutela_minori: false, operatore_id: null, riga: riga++ });
  await db.knex('cartelle').insert([
    cart('C1', LODI, '2023-01-10', null, 'adulti'),
    cart('C2', LODI, '2025-02-01', '2025-10-31', 'minori'),
    cart('C3', BREMBIO, '2020-01-01', '2025-03-15', 'anziani'),
    cart('C4', BREMBIO, '2024-12-01', '2024-12-31', 'adulti'),
    cart('C5', LODI, '2026-01-05', null, 'anziani'),
    cart('C6', BREMBIO, '2025-05-01', null, null),
  ]);
  const mem = (id: string, cf: string, inizio: string | null = null, fine: string | null = null) => ({ riga: riga++, id_cartella: id, codice_fiscale: cf, cf_valido: true, ruolo: null, data_inizio: inizio, data_fine: fine, data_nascita: null, data_nascita_cf: dn(cf) });
  await db.knex('membri').insert([
    mem('C1', CF.mario),
    mem('C1', CF.anna, '2025-06-01'),
    mem('C1', CF.luca, '2026-02-01'),
    mem('C2', CF.luca),
    mem('C3', CF.nonna),
    mem('C4', CF.mario),
    mem('C5', CF.nonna),
    mem('C6', CF.luca, '2025-05-01'),
  ]);
  await db.knex('nomenclatore').insert({ codice: 'A1.04', descrizione: 'Contributi economici a integrazione del reddito', macro_area: null, pasti_trasporti: false });
  const pre = (id: string, istat: string, cart: string | null, cf: string, codice: string, data: string, costo: number, quota: number, rec: Partial<Record<'recupero_assistito' | 'recupero_famiglia' | 'recupero_altri_enti' | 'recupero_altri', number>> = {}, descrizione: string | null = null) => ({
    id_prestazione: id,
    id_cartella: cart,
    codice_fiscale: cf,
    cf_valido: true,
    codice_istat: istat,
    codice_prestazione: codice,
    descrizione,
    data_erogazione: data,
    costo,
    quota_comune: quota,
    quota_comune_indicata: true,
    recupero_assistito: rec.recupero_assistito ?? 0,
    recupero_famiglia: rec.recupero_famiglia ?? 0,
    recupero_altri_enti: rec.recupero_altri_enti ?? 0,
    recupero_altri: rec.recupero_altri ?? 0,
    riga: riga++,
  });
  await db.knex('prestazioni').insert([
    pre('P1', LODI, 'C1', CF.mario, 'A1.04', '2025-03-01', 100, 80, { recupero_assistito: 20 }),
    pre('P2', LODI, null, CF.anna, 'A1.04', '2025-04-01', 50, 50),
    pre('P3', LODI, 'C2', CF.luca, 'B2.01', '2025-05-01', 30, 20, { recupero_famiglia: 10 }, 'Servizio ignoto'),
    pre('P4', BREMBIO, 'C3', CF.nonna, 'A1.04', '2025-02-01', 200, 150, { recupero_altri_enti: 40, recupero_altri: 10 }),
    pre('P5', LODI, 'C1', CF.mario, 'A1.04', '2024-12-31', 999, 999),
  ]);
  await db.knex('siz_tabelle').insert({ tabella: 'cartelle', checksum: 'x', righe: 6, importazione_id: 1, data_estrazione: '2026-11-21' });
}
