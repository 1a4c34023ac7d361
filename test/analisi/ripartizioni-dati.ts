/**
 * A hand-made sportello for the breakdowns (docs/analisi.md, "Ripartizioni"). Two comuni, 2025.
 *
 * people (CF)                              accessi (comune, date, punto)              band at the date
 *   P1 F, born 2008-01-01, Lodi (Italy)   a1 Lodi 2025-12-31 Sportello Lodi          0-17 (17 the day before 18)
 *                                          a2 Lodi 2025-03-01 Sportello Lodi          0-17
 *                                          a10 Lodi 2024-12-31 (other year)           -
 *                                          a12 Lodi 2026-01-01 Sportello Lodi         18-24 (birthday)
 *   P2 CF says M, registry F (latest        a3 Lodi 2025-06-15 Sportello Lodi          65-74 (65th birthday)
 *      snapshot; an older one says M),      a4 Lodi 2025-06-14 Sportello Lodi          55-64
 *      born 1960-06-15 in Morocco (Z330),
 *      omocodia in the day and the code
 *   P3 invalid CF, row's birth 1940-02-29  a5 Brembio 2025-05-05 no punto              85+ (85)
 *   (no CF)                                a6 Brembio 2025-07-01 Sportello Brembio    age unknown
 *   P4 M, born 2000-02-29 in Romania       a7 Lodi 2025-02-28 Sportello Lodi          18-24 (24: birthday on 1 March)
 *      (Z129), birth from the CF            a8 Brembio 2025-02-28 Sportello Brembio    18-24
 *                                          a9 Brembio 2025-03-01 Sportello Brembio    25-34
 *   a11: no comune, never counted.
 *
 * Year 2025, the ambito: 9 accessi, 4 people.
 *   sesso     accessi F 4, M 3, not known 2 | people F 2 (P1, P2), M 1 (P4), not known 1 (P3)
 *   band      accessi 0-17 2, 18-24 2, 25-34 1, 55-64 1, 65-74 1, 85+ 1, unknown 1
 *             people (band of the latest accesso) 0-17 P1, 25-34 P4, 65-74 P2, 85+ P3
 *   country   accessi Italy 2, Morocco 2, Romania 3, not known 2 | people 1 each
 *   punto     Sportello Lodi 5 accessi / 3 people, Sportello Brembio 3 / 1 (a6 has no CF),
 *             not given 1 / 1
 */
import type { Database } from '../../server/db';
import { normalizeName } from '../../server/importazione/valori';
import { birthDateFromCf, buildCf, checkCharacter } from '../../server/shared/cf';

export const LODI = '098031';
export const BREMBIO = '098010';

/** Replaces the digits at the given 0-based positions with their omocodia letters. */
export function omocodia(cf: string, posizioni: number[]): string {
  const c = cf.slice(0, 15).split('');
  for (const p of posizioni) c[p] = 'LMNPQRSTUV'[Number(c[p])];
  const corpo = c.join('');
  return corpo + checkCharacter(corpo);
}

export const P1 = buildCf('VER', 'ANN', '2008-01-01', 'F', 'E648');
export const P2 = omocodia(buildCf('ROS', 'MAR', '1960-06-15', 'M', 'Z330'), [9, 10, 12, 13, 14]);
export const P3 = 'CFNONVALIDO00001';
export const P4 = buildCf('BIA', 'LUC', '2000-02-29', 'M', 'Z129');

export async function caricaRipartizioni(db: Database): Promise<void> {
  await db.knex('comuni').insert([
    { codice_istat: LODI, nome: 'Lodi', nome_norm: normalizeName('Lodi'), popolazione: 60, distretto: 'Lodi' },
    { codice_istat: BREMBIO, nome: 'Brembio', nome_norm: normalizeName('Brembio'), popolazione: 40, distretto: 'Casalpusterlengo' },
  ]);
  let riga = 1;
  const a = (id: string, cf: string | null, valido: boolean, istat: string | null, data: string, punto: string | null, nascita: string | null = null) => ({
    id_accesso: id,
    codice_fiscale: cf,
    cf_valido: valido,
    codice_istat: istat,
    data_accesso: data,
    data_nascita: nascita,
    data_nascita_cf: valido ? birthDateFromCf(cf, '2026-01-01') : null,
    area_utenza: null,
    motivo_accesso: null,
    problema_riscontrato: null,
    punto_accesso: punto,
    riga: riga++,
  });
  await db.knex('accessi').insert([
    a('a1', P1, true, LODI, '2025-12-31', 'Sportello Lodi'),
    a('a2', P1, true, LODI, '2025-03-01', ' Sportello Lodi '),
    a('a3', P2, true, LODI, '2025-06-15', 'Sportello Lodi'),
    a('a4', P2, true, LODI, '2025-06-14', 'Sportello Lodi'),
    a('a5', P3, false, BREMBIO, '2025-05-05', '  ', '1940-02-29'),
    a('a6', null, false, BREMBIO, '2025-07-01', 'Sportello Brembio'),
    a('a7', P4, true, LODI, '2025-02-28', 'Sportello Lodi'),
    a('a8', P4, true, BREMBIO, '2025-02-28', 'Sportello Brembio'),
    a('a9', P4, true, BREMBIO, '2025-03-01', 'Sportello Brembio'),
    a('a10', P1, true, LODI, '2024-12-31', 'Sportello Lodi'),
    a('a11', P1, true, null, '2025-01-01', 'Sportello Lodi'),
    a('a12', P1, true, LODI, '2026-01-01', 'Sportello Lodi'),
  ]);
  // The registry: P2 is F in the latest snapshot (Lodi, 2025), M in an older one (Brembio, 2024).
  const [vecchio] = await db.knex('anagrafe_snapshot').insert({ codice_istat: BREMBIO, data_snapshot: '2024-01-01', righe: 1 }).returning('id');
  const [nuovo] = await db.knex('anagrafe_snapshot').insert({ codice_istat: LODI, data_snapshot: '2025-01-01', righe: 2 }).returning('id');
  const p = (snap: { id: number }, cf: string, sesso: string | null, r: number) => ({ snapshot_id: snap.id, codice_fiscale: cf, cf_valido: true, sesso, codice_istat: LODI, id_famiglia: `F${r}`, riga: r });
  await db.knex('anagrafe').insert([p(vecchio, P2, 'M', 1), p(nuovo, P2, 'F', 2), p(nuovo, P1, null, 3)]);
}
