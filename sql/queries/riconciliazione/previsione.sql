-- Forecast and risk (docs/metriche.md, "Cifre della digitalizzazione" and "Storia, previsione e
-- rischio") for the comuni of run :run_id, from the stored history. One point per day (the day's
-- latest run), runs with esito 'ok' plus this run, day of the run in (oggi - 180, oggi], same
-- census round as this run, digit_tot not null. A line needs at least 3 points spanning at least 14
-- days. With x = days from :oggi and y = digit_tot, the least-squares line reaches target T at x* =
-- (den * (n*T - sy) + num * sx) / (n * num), where slope = num / den; computed in exact numeric
-- arithmetic and rounded up to a whole day.
--
-- Every step that is joined more than once is MATERIALIZED, and the UPDATE joins one finished row
-- per comune: the rows of this run were inserted in the same transaction, so the planner has no
-- statistics for them and guesses one row per step; with inlined steps it then nested the joins
-- four deep and recomputed them per row (375 comuni: more than ten minutes). Materialized, the
-- worst case is one pass per step and a join of two lists of comuni.
with cur as materialized (
  select codice_istat, data_riferimento, digit_tot, obiettivo_scadenza, scadenza
  from riconciliazione_comuni
  where riconciliazione_id = cast(:run_id as integer)
),
storia as (
  select rc.codice_istat, cast(r.oggi - cast(:oggi as date) as numeric) as x, rc.digit_tot as y,
         row_number() over (partition by rc.codice_istat, r.oggi order by r.id desc) as ultimo_del_giorno
  from riconciliazione_comuni rc
  join riconciliazioni r on r.id = rc.riconciliazione_id
  join cur on cur.codice_istat = rc.codice_istat
  where (r.esito = 'ok' or r.id = cast(:run_id as integer))
    and r.oggi > cast(:oggi as date) - 180 and r.oggi <= cast(:oggi as date)
    and rc.digit_tot is not null
    and rc.data_riferimento is not distinct from cur.data_riferimento
),
retta_tutte as materialized (
  select codice_istat, count(*) as n, max(x) - min(x) as arco, sum(x) as sx, sum(y) as sy,
         count(*) * sum(x * y) - sum(x) * sum(y) as num,
         count(*) * sum(x * x) - sum(x) * sum(x) as den
  from storia
  where ultimo_del_giorno = 1
  group by codice_istat
),
retta as (
  select * from retta_tutte where n >= 3 and arco >= 14
),
traguardo as (
  -- p / q = x* for the configured target (t) and for the deadline's own target (s); q > 0.
  select cur.codice_istat, cur.digit_tot, cur.scadenza, cur.obiettivo_scadenza,
         l.den * (l.n * cast(:obiettivo as numeric) - l.sy) + l.num * l.sx as p_t,
         l.den * (l.n * cur.obiettivo_scadenza - l.sy) + l.num * l.sx as p_s,
         l.n * l.num as q
  from cur
  join retta l on l.codice_istat = cur.codice_istat and l.num > 0
),
giorni as (
  -- ceil(p / q) exactly: div() truncates towards zero, add 1 when a positive remainder is left.
  select codice_istat, digit_tot, scadenza, obiettivo_scadenza,
         div(p_t, q) + case when p_t - div(p_t, q) * q > 0 then 1 else 0 end as k_t,
         div(p_s, q) + case when p_s - div(p_s, q) * q > 0 then 1 else 0 end as k_s
  from traguardo
),
date_previste as materialized (
  -- Dates outside 0001-01-01 .. 9999-12-31 (an almost flat line) count as no forecast.
  select codice_istat,
         case when k_t between date '0001-01-01' - cast(:oggi as date) and date '9999-12-31' - cast(:oggi as date)
              then cast(:oggi as date) + cast(k_t as integer) end as previsione_obiettivo,
         case when k_s between date '0001-01-01' - cast(:oggi as date) and date '9999-12-31' - cast(:oggi as date)
              then cast(:oggi as date) + cast(k_s as integer) end as previsione_scadenza
  from giorni
),
esiti as materialized (
  select cur.codice_istat, f.previsione_obiettivo, f.previsione_scadenza,
         -- Why there is or is not a forecast, for the wording of pages and emails (docs/metriche.md):
         -- no line without 3 points over 14 days; a flat or falling line (or one so flat that the
         -- date is out of range) reaches no target; else the forecast of the target that counts
         -- (the deadline's own when the comune has a deadline, else the configured one) exists.
         case
           when cur.digit_tot is null then null
           when t.n is null or t.n < 3 or t.arco < 14 then 'storia_insufficiente'
           when t.num <= 0 then 'andamento_fermo'
           when (case when cur.scadenza is not null then f.previsione_scadenza else f.previsione_obiettivo end) is null then 'andamento_fermo'
           else 'prevista' end as previsione_esito,
         -- A rischio: has a deadline, has not reached the deadline's target, and the forecast for
         -- that target is after the deadline or missing.
         cur.scadenza is not null
           and not coalesce(cur.digit_tot >= cur.obiettivo_scadenza, false)
           and (f.previsione_scadenza is null or f.previsione_scadenza > cur.scadenza) as a_rischio
  from cur
  left join date_previste f on f.codice_istat = cur.codice_istat
  left join retta_tutte t on t.codice_istat = cur.codice_istat
)
update riconciliazione_comuni rc
set previsione_obiettivo = e.previsione_obiettivo,
    previsione_scadenza = e.previsione_scadenza,
    previsione_esito = e.previsione_esito,
    a_rischio = e.a_rischio
from esiti e
where rc.riconciliazione_id = cast(:run_id as integer) and rc.codice_istat = e.codice_istat
