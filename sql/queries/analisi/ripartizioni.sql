-- Breakdowns of the sportello's accessi and people (docs/analisi.md, "Ripartizioni"), after the
-- head ripartizioni_righe.sql (one row per accesso of the period and the selection).
-- People: the CF of the row (an accesso without CF is never a person); a person's sesso, band
-- and country are those of their latest accesso of the period in the selection (latest
-- data_accesso, then the greatest id_accesso), so each person is in one category of each of
-- them. By punto a person is counted in every punto they went to.
-- Output: dim, cat, accessi, persone (null where a figure has no meaning).
, persone as (
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
