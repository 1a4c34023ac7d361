-- Facts of month over month (server/fatti): after the head sql/queries/cruscotto/mese_righe.sql,
-- for every month of [:inizio, :fine] in one pass, the month (YYYY-MM) as a column:
-- - fatti_mese: the rows of sql/queries/cruscotto/mese.sql (per misura, comune and area; the
--   page takes the month and the one before);
-- - fatti_mese_top: the rows of sql/queries/cruscotto/mese_top.sql (the accessi per motivo, list
--   'motivi', an accesso without a motivo left out; the erogazioni per codice_prestazione, list
--   'prestazioni'; no cartelle).
-- Both from one pass over the same rows: counted per (month, misura, comune, categoria, area),
-- mese_top.sql's groups (the cartelle's and the accessi without a motivo: categoria null), then
-- summed over the categoria for mese.sql's (a small aggregate over those groups). The two
-- tables' queries each scanned the months' accessi and erogazioni, and each joined the
-- erogazioni to the members' birth dates (`nascite`) and to their cartelle (~6 CPU s of the two
-- at the regional scale, docs/fatti.md). Grouping sets over the rows made the planner sort them
-- (one sorted pass for both sets): slower than the two queries. The statement writes both
-- tables and returns how many rows it wrote.
, conti as materialized (
  select to_char(r.giorno, 'YYYY-MM') as mese, r.misura, r.codice_istat, r.categoria, r.area, count(*) as n
  from righe r
  join comuni c on c.codice_istat = r.codice_istat and c.attivo
  group by 1, 2, 3, 4, 5
),
mese as (
  insert into fatti_mese (mese, misura, codice_istat, area, n)
  select mese, misura, codice_istat, area, sum(n) from conti group by 1, 2, 3, 4
  returning 1
),
mese_top as (
  insert into fatti_mese_top (mese, lista, codice_istat, categoria, area, n)
  select mese, case when misura = 'accessi' then 'motivi' else 'prestazioni' end, codice_istat, categoria, area, n
  from conti
  where misura in ('accessi', 'erogazioni') and categoria is not null
  returning 1
)
select (select count(*) from mese) + (select count(*) from mese_top) as righe
