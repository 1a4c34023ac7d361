import type { Knex } from 'knex';

/**
 * `prestazioni_codici`: the distinct (cartella, code) pairs of the erogazioni, each with the date
 * of its first erogazione (`primo`), about 344 k rows for the 2.9 M erogazioni of the regional
 * data set. The meal/transport rule (docs/metriche.md, «Cartelle escluse») needs only these: the
 * codes of a cartella's erogazioni up to a date are the pairs whose first erogazione is up to
 * it. The reconciliation read them from the whole table of erogazioni every run (the scan and its
 * DISTINCT were about half of its time at the regional scale: docs/bench.md, «The jobs of the
 * cycle alone»).
 *
 * The SIZ import writes the pairs from the table it loads, before swapping it into place
 * (server/importazione/codici.ts). Anything else may write `prestazioni` too (tests, the demo's
 * months, a migration), so the pairs are never read without proof that they are of the
 * erogazioni of now: `prestazioni_codici_fonte` holds the table they were computed from, and any
 * statement writing the erogazioni (insert, delete, truncate, an update of the three columns
 * the pairs are made of) deletes that row in its own transaction (trigger
 * `prestazioni_codici_scaduti`). The view `prestazioni_codici_attuali` is what every query
 * reads: the table when the row names the `prestazioni` of now, else the same pairs computed
 * from the erogazioni (slower, always exact). A reader sees the erogazioni, the row and the pairs
 * of one snapshot, so it never mixes an old list with new erogazioni.
 *
 * The view `codici_prestazione` (the nomenclature entry of each code met) takes its codes from
 * the pairs too, instead of a DISTINCT over every erogazione.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table prestazioni_codici (
      id_cartella text,
      codice_prestazione text not null,
      primo date not null
    )`);
  // One row at most: the table the pairs were computed from (its name is re-read as the oid of
  // now, so a table renamed into place, like the import's new table, keeps its proof).
  await knex.raw(`
    create table prestazioni_codici_fonte (
      unica boolean primary key default true check (unica),
      tabella regclass not null
    )`);
  await knex.raw(`
    create function prestazioni_codici_scaduti() returns trigger language plpgsql as $$
    begin
      delete from prestazioni_codici_fonte;
      return null;
    end
    $$`);
  // Statement-level: one delete per statement, not per row (an import's COPY into its new table,
  // which gets the triggers of prestazioni, costs nothing more).
  await knex.raw(`
    create trigger prestazioni_codici_scaduti
    after insert or update of id_cartella, codice_prestazione, data_erogazione or delete or truncate on prestazioni
    for each statement execute function prestazioni_codici_scaduti()`);
  await knex.raw(`
    insert into prestazioni_codici (id_cartella, codice_prestazione, primo)
    select id_cartella, codice_prestazione, min(data_erogazione) from prestazioni group by id_cartella, codice_prestazione`);
  await knex.raw(`insert into prestazioni_codici_fonte (tabella) values (cast('prestazioni' as regclass))`);
  // Statistics now, as the import does after it writes them: without them the reconciliation
  // planned the pairs as a small table.
  await knex.raw('analyze prestazioni_codici');
  // Each branch's condition is a constant of the statement (an InitPlan): the planner runs only
  // the branch whose condition holds.
  await knex.raw(`
    create view prestazioni_codici_attuali as
    select id_cartella, codice_prestazione, primo
    from prestazioni_codici
    where exists (select 1 from prestazioni_codici_fonte f where f.tabella = cast('prestazioni' as regclass))
    union all
    select id_cartella, codice_prestazione, min(data_erogazione)
    from prestazioni
    where not exists (select 1 from prestazioni_codici_fonte f where f.tabella = cast('prestazioni' as regclass))
    group by id_cartella, codice_prestazione`);
  await knex.raw(`
    create or replace view codici_prestazione as
    select d.codice_prestazione, v.codice_nomenclatura, v.descrizione, v.macro_area, v.pasti_trasporti, v.conosciuto
    from (select distinct codice_prestazione from prestazioni_codici_attuali) d
    cross join lateral voce_codice(d.codice_prestazione) v`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    create or replace view codici_prestazione as
    select d.codice_prestazione, v.codice_nomenclatura, v.descrizione, v.macro_area, v.pasti_trasporti, v.conosciuto
    from (select distinct codice_prestazione from prestazioni) d
    cross join lateral voce_codice(d.codice_prestazione) v`);
  await knex.raw('drop view prestazioni_codici_attuali');
  await knex.raw('drop trigger prestazioni_codici_scaduti on prestazioni');
  await knex.raw('drop function prestazioni_codici_scaduti()');
  await knex.raw('drop table prestazioni_codici_fonte');
  await knex.raw('drop table prestazioni_codici');
}
