/**
 * The identity across runs of a member row with a finding (sql/queries/qualita/chiavi_membri.sql):
 * its cartella, its data_inizio, and its position among the cartella's rows with that data_inizio
 * ordered by CF, then line. Since 2026-12-06 the position is counted per finding through the index
 * on membri(id_cartella) instead of a window over the cartelle (docs/qualita.md): the keys must be
 * the window's, whatever the order of the lines in the file.
 */
import { describeDb } from '../support/db';
import { runQualita } from '../../server/qualita/service';
import { badCf, cf, loadSiz, resetDb, testCtx } from './helpers';

describeDb('qualita: la chiave dei componenti con una segnalazione', (get) => {
  beforeEach(async () => {
    await resetDb(get());
  });

  test("the key is the cartella, data_inizio and the row's position by CF among those with the same data_inizio, as the window defines it", async () => {
    const ctx = testCtx(get());
    await loadSiz(get(), {
      cartelle: [{ id: 'C1' }, { id: 'C2' }],
      membri: [
        { c: 'C1', cf: cf(3), inizio: '2026-10-05' },
        { c: 'C1', cf: badCf(9), ruolo: 'componente', inizio: '2026-10-05' },
        { c: 'C1', cf: badCf(2), ruolo: 'componente' },
        { c: 'C1', cf: cf(4), ruolo: 'componente' },
        { c: 'C1', cf: badCf(1), ruolo: 'componente', inizio: '2026-10-05' },
        { c: 'C1', cf: badCf(5), ruolo: 'componente' },
        { c: 'C2', cf: cf(8) },
        { c: 'C2', cf: badCf(7), ruolo: 'componente' },
      ],
    });
    const r = await runQualita(ctx);
    const stored = (
      await get().knex('qualita_risultati').where({ esecuzione_id: r.esecuzione_id, tabella: 'membri', controllo: 'cf_non_valido' }).orderBy('riga').select('riga', 'chiave')
    ).map((x) => [Number(x.riga), x.chiave]);
    // The definition, as a window over every member row.
    const attese = (
      await get().knex.raw(
        `select riga, chiave from (
           select m.riga, m.cf_valido, m.id_cartella || '/' || coalesce(to_char(m.data_inizio, 'YYYY-MM-DD'), '-') || '/'
                  || row_number() over (partition by m.id_cartella, m.data_inizio order by m.codice_fiscale, m.riga) as chiave
           from membri m) w
         where not cf_valido order by riga`,
      )
    ).rows.map((x: { riga: number; chiave: string }) => [Number(x.riga), x.chiave]);
    expect(stored).toEqual(attese);
    expect(stored).toHaveLength(5);
    // Keys are distinct, and some rows are not first of their group.
    const chiavi = stored.map((x) => x[1] as string);
    expect(new Set(chiavi).size).toBe(5);
    expect(chiavi.some((k) => !k.endsWith('/1'))).toBe(true);
    expect(chiavi.filter((k) => k.startsWith('C1/2026-10-05/'))).toHaveLength(2);
    expect(chiavi.filter((k) => k.startsWith('C1/-/'))).toHaveLength(2);
  });
});
