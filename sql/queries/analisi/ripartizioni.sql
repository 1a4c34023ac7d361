-- Breakdowns of the sportello's accessi and people (docs/analisi.md, "Ripartizioni"), for the
-- accessi with data_accesso in [:dal, :al] of the active comuni listed in :comuni (codes joined
-- by commas). One row per accesso with:
-- - punto: punto_accesso, '' when empty;
-- - sesso: the registry's (the most recent snapshot that has one for the CF), else decoded from a
--   valid CF (cf_sesso), else null;
-- - fascia: the age band at data_accesso (fascia_eta, exact age), birth date as for the area
--   utenza: the row's, else the one decoded from the CF moved back 100 years if after the date;
-- - nascita: 'IT' or the foreign 'Z' code of a valid CF (cf_nascita), else null.
-- People: the CF of the row (an accesso without CF is never a person); a person's sesso, band
-- and country are those of their latest accesso of the period in the selection (latest
-- data_accesso, then the greatest id_accesso), so each person is in one category of each of
-- them. By punto a person is counted in every punto they went to.
-- Output: dim, cat, accessi, persone (null where a figure has no meaning).
with righe as (
  select a.id_accesso, a.codice_fiscale as cf, a.data_accesso,
         coalesce(nullif(trim(a.punto_accesso), ''), '') as punto,
         coalesce(g.sesso, cf_sesso(a.codice_fiscale, a.cf_valido)) as sesso,
         fascia_eta(coalesce(a.data_nascita,
                             case when a.data_nascita_cf > a.data_accesso then cast(a.data_nascita_cf - interval '100 years' as date) else a.data_nascita_cf end),
                    a.data_accesso) as fascia,
         cf_nascita(a.codice_fiscale, a.cf_valido) as nascita
  from accessi a
  join comuni c on c.codice_istat = a.codice_istat and c.attivo
  left join lateral (
    select x.sesso
    from anagrafe x
    join anagrafe_snapshot s on s.id = x.snapshot_id
    where x.codice_fiscale = a.codice_fiscale and x.sesso in ('M', 'F')
    order by s.data_snapshot desc, s.id desc
    limit 1
  ) g on a.codice_fiscale is not null
  where a.data_accesso between cast(:dal as date) and cast(:al as date)
    and a.codice_istat = any(string_to_array(cast(:comuni as text), ','))
),
persone as (
  select distinct on (cf) cf, sesso, fascia, nascita
  from righe
  where cf is not null
  order by cf, data_accesso desc, id_accesso desc
)
select 'punto' as dim, punto as cat, cast(count(*) as int) as accessi, cast(count(distinct cf) as int) as persone from righe group by punto
union all
select 'sesso', coalesce(sesso, ''), cast(count(*) as int), cast(null as int) from righe group by sesso
union all
select 'fascia', coalesce(fascia, ''), cast(count(*) as int), cast(null as int) from righe group by fascia
union all
select 'nascita', coalesce(nascita, ''), cast(count(*) as int), cast(null as int) from righe group by nascita
union all
select 'sesso', coalesce(sesso, ''), cast(null as int), cast(count(*) as int) from persone group by sesso
union all
select 'fascia', coalesce(fascia, ''), cast(null as int), cast(count(*) as int) from persone group by fascia
union all
select 'nascita', coalesce(nascita, ''), cast(null as int), cast(count(*) as int) from persone group by nascita
