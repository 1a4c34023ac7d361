-- Years side by side: sociali_persone.sql and sociali_cartelle.sql for every year from :primo to
-- :ultimo in one query, the year as a column. People are counted once per comune and year and
-- cartelle open on a day are not additive, so each year is its own window (a row per member and
-- year it can count in), with the same rules as the page: area at 31 December of the year,
-- cartelle open on :giorno_oggi for the year of :giorno_oggi (the current year), else on
-- 31 December.
with anni as (
  select cast(y as int) as anno, make_date(cast(y as int), 1, 1) as inizio, make_date(cast(y as int), 12, 31) as fine,
         case when cast(y as int) = cast(extract(year from cast(:giorno_oggi as date)) as int) then cast(:giorno_oggi as date) else make_date(cast(y as int), 12, 31) end as giorno
  from generate_series(cast(:primo as int), cast(:ultimo as int)) as y
),
m as (
  select k.codice_istat, m.codice_fiscale,
         coalesce(m.data_inizio, k.data_apertura) as inizio,
         least(m.data_fine, k.data_chiusura) as fine,
         k.data_apertura, m.data_nascita, m.data_nascita_cf, k.area_utenza
  from membri m
  join cartelle k on k.id_cartella = m.id_cartella
  join comuni c on c.codice_istat = k.codice_istat and c.attivo
),
my as (
  select y.anno, y.inizio as anno_inizio, y.fine as anno_fine, m.codice_istat, m.codice_fiscale, m.inizio, m.fine, m.data_apertura,
         area_utenza_al(m.data_nascita, m.data_nascita_cf, m.area_utenza, y.fine) as area
  from m join anni y on m.inizio <= y.fine
),
prese as (
  select anno, codice_istat, codice_fiscale, min(area) as area
  from my
  where data_apertura <= anno_fine
  group by 1, 2, 3
),
beneficiari as (
  select anno, codice_istat, codice_fiscale, min(area) as area
  from my
  where fine is null or fine >= anno_inizio
  group by 1, 2, 3
),
k as (
  select k.codice_istat, coalesce(k.area_utenza, 'non_indicata') as area, k.data_apertura, k.data_chiusura
  from cartelle k join comuni c on c.codice_istat = k.codice_istat and c.attivo
)
select anno, 'prese_in_carico' as misura, codice_istat, area, count(*) as n from prese group by 1, 3, 4
union all
select anno, 'beneficiari_anno', codice_istat, area, count(*) from beneficiari group by 1, 3, 4
union all
select y.anno, 'concluse_anno', k.codice_istat, k.area, count(*)
from k join anni y on k.data_apertura between y.inizio and y.fine and k.data_chiusura between y.inizio and y.fine
group by 1, 3, 4
union all
select y.anno, 'precedenti_chiuse_anno', k.codice_istat, k.area, count(*)
from k join anni y on k.data_apertura < y.inizio and k.data_chiusura between y.inizio and y.fine
group by 1, 3, 4
union all
select y.anno, 'aperte', k.codice_istat, k.area, count(*)
from k join anni y on k.data_apertura <= y.giorno and (k.data_chiusura is null or k.data_chiusura > y.giorno)
group by 1, 3, 4
