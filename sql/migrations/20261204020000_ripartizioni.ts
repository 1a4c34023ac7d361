import type { Knex } from 'knex';

/**
 * What the breakdowns of /analisi/ripartizioni decode from a codice fiscale (docs/analisi.md,
 * "Ripartizioni"), in SQL so that the counts stay set-based. Same reading as server/shared/cf.ts
 * (birthDateFromCf, sexFromCf): the omocodia letters LMNPQRSTUV stand for the digits 0-9 in the
 * digit positions, and only a CF that passed the check character (`cf_valido`) is decoded.
 *
 * - `cf_sesso(cf, valido)`: 'F' when the day (characters 10-11) is over 40, else 'M';
 * - `cf_nascita(cf, valido)`: the place-of-birth code (characters 12-15): 'IT' for an Italian
 *   comune, the cadastral code 'Z...' for a foreign country (names in
 *   fixtures/riferimento/stati-esteri.csv, read by server/analisi/stati-esteri.ts);
 * - `fascia_eta(nascita, d)`: the age band at d with the exact-age rule of `eta_anni`
 *   (migration 20261203001400_eta_esatta): 0-17, 18-24, ..., 75-84, 85+; null when the birth
 *   date is unknown or after d.
 * Plus an index for the registry's `sesso`, looked up per codice fiscale.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create or replace function cf_sesso(cf text, valido boolean)
    returns text language sql immutable as $$
      select case
        when not coalesce(valido, false) or substr(cf, 10, 2) !~ '^[0-9LMNPQRSTUV]{2}$' then null
        when cast(translate(substr(cf, 10, 2), 'LMNPQRSTUV', '0123456789') as integer) > 40 then 'F'
        else 'M'
      end
    $$`);
  await knex.raw(`
    create or replace function cf_nascita(cf text, valido boolean)
    returns text language sql immutable as $$
      select case
        when not coalesce(valido, false) or length(cf) <> 16 then null
        when substr(cf, 12, 1) = 'Z' then 'Z' || translate(substr(cf, 13, 3), 'LMNPQRSTUV', '0123456789')
        else 'IT'
      end
    $$`);
  await knex.raw(`
    create or replace function fascia_eta(nascita date, d date)
    returns text language sql immutable as $$
      select case
        when nascita is null or nascita > d then null
        when eta_anni(nascita, d) < 18 then '0-17'
        when eta_anni(nascita, d) < 25 then '18-24'
        when eta_anni(nascita, d) < 35 then '25-34'
        when eta_anni(nascita, d) < 45 then '35-44'
        when eta_anni(nascita, d) < 55 then '45-54'
        when eta_anni(nascita, d) < 65 then '55-64'
        when eta_anni(nascita, d) < 75 then '65-74'
        when eta_anni(nascita, d) < 85 then '75-84'
        else '85+'
      end
    $$`);
  await knex.raw('create index if not exists anagrafe_codice_fiscale_idx on anagrafe (codice_fiscale)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists anagrafe_codice_fiscale_idx');
  await knex.raw('drop function if exists fascia_eta(date, date)');
  await knex.raw('drop function if exists cf_nascita(text, boolean)');
  await knex.raw('drop function if exists cf_sesso(text, boolean)');
}
