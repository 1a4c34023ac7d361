-- Facts of the rows without a comune (server/fatti): what sql/queries/cruscotto/non_attribuiti.sql
-- gives for each year :primo..:ultimo (inizio 1 January, fine 31 December), in one pass over each
-- table instead of one per year (seven years: 11.6 s -> about 1 s at the regional scale,
-- docs/fatti.md). Accessi and erogazioni count in the year of their date; a cartella counts in
-- every year it overlaps (opened by its 31 December, not closed before its 1 January). The rows
-- without a comune are few: only they meet the years.
with anni as (
  select cast(g as integer) as anno, make_date(cast(g as integer), 1, 1) as inizio, make_date(cast(g as integer), 12, 31) as fine
  from generate_series(cast(:primo as integer), cast(:ultimo as integer)) g
),
accessi_na as (
  select cast(extract(year from a.data_accesso) as integer) as anno, count(*) as n
  from accessi a
  where a.data_accesso between make_date(cast(:primo as integer), 1, 1) and make_date(cast(:ultimo as integer), 12, 31)
    and not exists (select 1 from comuni c where c.codice_istat = a.codice_istat and c.attivo)
  group by 1
),
prestazioni_na as (
  select cast(extract(year from p.data_erogazione) as integer) as anno, count(*) as n
  from prestazioni p
  where p.data_erogazione between make_date(cast(:primo as integer), 1, 1) and make_date(cast(:ultimo as integer), 12, 31)
    and not exists (select 1 from comuni c where c.codice_istat = p.codice_istat and c.attivo)
  group by 1
),
cartelle_na as (
  select y.anno, count(*) as n
  from cartelle k
  join anni y on k.data_apertura <= y.fine and (k.data_chiusura is null or k.data_chiusura >= y.inizio)
  where not exists (select 1 from comuni c where c.codice_istat = k.codice_istat and c.attivo)
  group by 1
)
insert into fatti_non_attribuiti (anno, accessi, cartelle, prestazioni)
select y.anno, coalesce(a.n, 0), coalesce(k.n, 0), coalesce(p.n, 0)
from anni y
left join accessi_na a on a.anno = y.anno
left join cartelle_na k on k.anno = y.anno
left join prestazioni_na p on p.anno = y.anno
