import type { Knex } from 'knex';

/**
 * Age groups by calendar, not by interval (issue 14). The base migration compared
 * `age(d, nascita)` with `interval '18 years'`; PostgreSQL compares intervals counting a month
 * as 30 days, so "17 years 11 months 30 days" counted as 18 and a person born on 1 January moved
 * to the next group on 31 December.
 *
 * `eta_anni(nascita, d)`: completed years at d. A birthday is reached on the day itself; a
 * person born on 29 February has it on 1 March in a non-leap year (the contract is silent; the choice is
 * in docs/metriche.md, "Area utenza: età e data di nascita"). Plain comparison of (month, day): on 28 February (2,28) is
 * before (2,29), on 1 March it is not. Both functions are single SELECT expressions, so the
 * planner inlines them in every query that assigns an area (sql/queries/cruscotto/*.sql).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create or replace function eta_anni(nascita date, d date)
    returns integer language sql immutable as $$
      select cast(extract(year from d) - extract(year from nascita) as integer)
             - case when (extract(month from d), extract(day from d)) < (extract(month from nascita), extract(day from nascita))
                    then 1 else 0 end
    $$`);
  // Same rule for the birth date as before: the row's own, else the one decoded from the CF
  // (stored with the century of the extraction date, moved back 100 years if after d).
  await knex.raw(`
    create or replace function area_utenza_al(nascita date, nascita_cf date, area text, d date)
    returns text language sql immutable as $$
      select case
        when coalesce(nascita, case when nascita_cf > d then (nascita_cf - interval '100 years')::date else nascita_cf end) is null
          then coalesce(area, 'non_indicata')
        when eta_anni(coalesce(nascita, case when nascita_cf > d then (nascita_cf - interval '100 years')::date else nascita_cf end), d) < 18
          then 'minori'
        when eta_anni(coalesce(nascita, case when nascita_cf > d then (nascita_cf - interval '100 years')::date else nascita_cf end), d) >= 65
          then 'anziani'
        else 'adulti'
      end
    $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    create or replace function area_utenza_al(nascita date, nascita_cf date, area text, d date)
    returns text language sql immutable as $$
      select case
        when coalesce(nascita, case when nascita_cf > d then (nascita_cf - interval '100 years')::date else nascita_cf end) is null
          then coalesce(area, 'non_indicata')
        when age(d, coalesce(nascita, case when nascita_cf > d then (nascita_cf - interval '100 years')::date else nascita_cf end)) < interval '18 years'
          then 'minori'
        when age(d, coalesce(nascita, case when nascita_cf > d then (nascita_cf - interval '100 years')::date else nascita_cf end)) >= interval '65 years'
          then 'anziani'
        else 'adulti'
      end
    $$`);
  await knex.raw('drop function if exists eta_anni(date, date)');
}
