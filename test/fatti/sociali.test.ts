/**
 * The facts of sociali, people (sql/queries/fatti/sociali_persone.sql), on a hand-computed case:
 * the rules of sql/queries/cruscotto/sociali_persone.sql at the edges that the varied ambito of
 * fatti.test.ts does not reach. A membership that starts before its cartella opens (a
 * beneficiary of that year, not yet taken in charge); a person with two memberships in the same
 * comune, counted once with the least area (the facts group only such people per person); the
 * area on 31 December (the facts take the age as the difference of the years): 18 and 65 reached
 * on that very day, a birth date decoded from the CF after the day moved back 100 years.
 */
import { describeDb } from '../support/db';
import { calcolaFatti } from '../../server/fatti/calcola';
import { sqlText } from '../../server/shared/sql';
import { comune, cartella, membro, person } from '../riconciliazione/helpers';

describeDb('fatti di sociali, persone: casi calcolati a mano', (get) => {
  test('inizio prima dell\'apertura; due appartenenze nello stesso comune contate una volta con l\'area minore', async () => {
    const db = get();
    await comune(db, '098031');
    const A = person(1);
    const B = person(2);
    // A: member from 2024-06-01 of a cartella opened on 2025-03-01 (adults: born 1980).
    await cartella(db, 'K1', '098031', '2025-03-01');
    await membro(db, 'K1', A, '2024-06-01');
    // B, birth unknown (the area is the cartella's): K2 anziani in 2024, K3 minori from 2025.
    await cartella(db, 'K2', '098031', '2024-02-01', '2024-05-31');
    await cartella(db, 'K3', '098031', '2025-01-10');
    await membro(db, 'K2', B);
    await membro(db, 'K3', B);
    await db.knex('cartelle').update({ area_utenza: 'adulti' }).where({ id_cartella: 'K1' });
    await db.knex('cartelle').update({ area_utenza: 'anziani' }).where({ id_cartella: 'K2' });
    await db.knex('cartelle').update({ area_utenza: 'minori' }).where({ id_cartella: 'K3' });
    await db.knex('membri').update({ data_nascita: '1980-04-02' }).where({ codice_fiscale: A });
    await db.knex('membri').update({ data_nascita: null, data_nascita_cf: null }).where({ codice_fiscale: B });

    // 098010, one cartella of 2024: C's birth date is the CF's, 2025-03-01 (after 31/12/2024:
    // 1925, anziani in 2024; a newborn, minori, in 2025); D born 31/12/2006 (18 on 31/12/2024),
    // E on 1/1/2007 (17), F on 31/12/1959 (65), G on 1/1/1960 (64).
    await comune(db, '098010');
    await cartella(db, 'K4', '098010', '2024-01-15');
    const nati: [string, string | null, string | null][] = [
      [person(3), null, '2025-03-01'],
      [person(4), '2006-12-31', null],
      [person(5), '2007-01-01', null],
      [person(6), '1959-12-31', null],
      [person(7), '1960-01-01', null],
    ];
    for (const [cf, data_nascita, data_nascita_cf] of nati) {
      await membro(db, 'K4', cf);
      await db.knex('membri').update({ data_nascita, data_nascita_cf }).where({ codice_fiscale: cf });
    }

    const { chiavi } = await calcolaFatti(db, '2026-11-22');
    expect(chiavi.anni).toEqual([2024, 2025, 2026]);
    const fatti = async (anno: number, istat = '098031') =>
      (await db.knex('fatti_sociali').where({ anno, codice_istat: istat }).whereIn('misura', ['prese_in_carico', 'beneficiari_anno']).orderBy(['misura', 'area']).select('misura', 'codice_istat', 'area', 'n')).map(
        (r: { misura: string; codice_istat: string; area: string; n: string | number }) => `${r.misura} ${r.codice_istat} ${r.area} ${Number(r.n)}`,
      );
    expect(await fatti(2024)).toEqual(['beneficiari_anno 098031 adulti 1', 'beneficiari_anno 098031 anziani 1', 'prese_in_carico 098031 anziani 1']);
    expect(await fatti(2025)).toEqual(['beneficiari_anno 098031 adulti 1', 'beneficiari_anno 098031 minori 1', 'prese_in_carico 098031 adulti 1', 'prese_in_carico 098031 anziani 1']);
    expect(await fatti(2026)).toEqual(['beneficiari_anno 098031 adulti 1', 'beneficiari_anno 098031 minori 1', 'prese_in_carico 098031 adulti 1', 'prese_in_carico 098031 anziani 1']);
    // C anziani, D adulti, E minori, F anziani, G adulti in 2024; C minori, E adulti, G anziani in 2025.
    const k4 = (adulti: number, anziani: number, minori: number) =>
      ['beneficiari_anno', 'prese_in_carico'].flatMap((m) => [`${m} 098010 adulti ${adulti}`, `${m} 098010 anziani ${anziani}`, `${m} 098010 minori ${minori}`]);
    expect(await fatti(2024, '098010')).toEqual(k4(2, 2, 1));
    expect(await fatti(2025, '098010')).toEqual(k4(2, 2, 1));
    expect(await fatti(2026, '098010')).toEqual(k4(2, 2, 1));
    // And the page's own query gives the same rows, year by year, comune by comune.
    for (const anno of chiavi.anni) {
      const pagina = (await db.knex.raw(sqlText('cruscotto', 'sociali_persone'), { inizio: `${anno}-01-01`, fine: `${anno}-12-31` })).rows as { misura: string; codice_istat: string; area: string; n: string | number }[];
      for (const istat of ['098031', '098010']) {
        expect(pagina.filter((r) => r.codice_istat === istat).map((r) => `${r.misura} ${r.codice_istat} ${r.area} ${Number(r.n)}`).sort()).toEqual(await fatti(anno, istat));
      }
    }
  });
});
