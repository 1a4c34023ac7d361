import type { Knex } from 'knex';

/**
 * The nomenclature entry of one erogazione code, as a function (`voce_codice`), so that the
 * reconciliation can resolve only the codes of the erogazioni it counts, already grouped, instead
 * of the view's DISTINCT over every erogazione: that scan was a fifth of the reconciliation at the
 * regional scale (docs/bench.md, «The jobs of the cycle alone»). The rule is unchanged (migration
 * 20261122000200_codici_prestazione): the code itself, else its nearest parent (dropping the last
 * `.NN` segment); an unknown code is not pasti_trasporti. The view `codici_prestazione` now reads
 * the function too: one definition for both.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create or replace function voce_codice(text)
    returns table (codice_nomenclatura text, descrizione text, macro_area text, pasti_trasporti boolean, conosciuto boolean)
    language sql stable as $$
      select n.codice, n.descrizione, n.macro_area, coalesce(n.pasti_trasporti, false), n.codice is not null
      from (select 1) uno
      left join lateral (
        select nm.codice, nm.descrizione, nm.macro_area, nm.pasti_trasporti
        from nomenclatore nm
        where $1 = nm.codice or left($1, length(nm.codice) + 1) = nm.codice || '.'
        order by length(nm.codice) desc
        limit 1
      ) n on true
    $$`);
  await knex.raw(`
    create or replace view codici_prestazione as
    select d.codice_prestazione, v.codice_nomenclatura, v.descrizione, v.macro_area, v.pasti_trasporti, v.conosciuto
    from (select distinct codice_prestazione from prestazioni) d
    cross join lateral voce_codice(d.codice_prestazione) v`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    create or replace view codici_prestazione as
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
  await knex.raw('drop function if exists voce_codice(text)');
}
