import type { Knex } from 'knex';
import { birthDateFromCf } from '../../server/shared/cf';

/**
 * An erogazione's beneficiary takes the birth date from the row's own valid CF when no member
 * row gives it (docs/metriche.md, "Area utenza"; issue 14): before, a service given without a cartella
 * landed in `non_indicata`. The importer fills `prestazioni.data_nascita_cf` like the column of
 * the same name of `membri` and `accessi` (century relative to the extraction date); this
 * migration fills it for the rows already loaded, with the extraction date of their file.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('prestazioni', (t) => {
    t.date('data_nascita_cf');
  });
  const tab = (await knex.raw("select cast(data_estrazione as text) as d from siz_tabelle where tabella = 'prestazioni'")).rows as { d: string }[];
  const estrazione = tab[0]?.d ?? new Date().toISOString().slice(0, 10);
  const cfs = ((await knex('prestazioni').distinct('codice_fiscale').where({ cf_valido: true })) as { codice_fiscale: string }[]).map((r) => r.codice_fiscale);
  const coppie = cfs.map((cf) => [cf, birthDateFromCf(cf, estrazione)] as const).filter((c): c is readonly [string, string] => c[1] !== null);
  for (let i = 0; i < coppie.length; i += 500) {
    const lotto = coppie.slice(i, i + 500);
    await knex.raw(
      `update prestazioni as p set data_nascita_cf = v.d
       from (values ${lotto.map(() => '(cast(? as text), cast(? as date))').join(', ')}) as v(cf, d)
       where p.codice_fiscale = v.cf and p.cf_valido`,
      lotto.flat(),
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('prestazioni', (t) => {
    t.dropColumn('data_nascita_cf');
  });
}
