import type { Knex } from 'knex';

/**
 * The nomenclature entry of each distinct erogazione code: the code itself, else its nearest
 * parent (dropping the last `.NN` segment: A1.05.01 -> A1.05), per the data contract. Computed
 * over the few hundred DISTINCT codes, not per erogazione, so it stays cheap at regional scale.
 * An unknown code (no entry for it or its parents) counts as not pasti_trasporti.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create view codici_prestazione as
    select d.codice_prestazione,
           n.codice as codice_nomenclatura,
           n.descrizione,
           n.macro_area,
           coalesce(n.pasti_trasporti, false) as pasti_trasporti,
           n.codice is not null as conosciuto
    from (select distinct codice_prestazione from prestazioni) d
    left join lateral (
      select nm.codice, nm.descrizione, nm.macro_area, nm.pasti_trasporti
      from nomenclatore nm
      where d.codice_prestazione = nm.codice or left(d.codice_prestazione, length(nm.codice) + 1) = nm.codice || '.'
      order by length(nm.codice) desc
      limit 1
    ) n on true`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop view if exists codici_prestazione');
}
