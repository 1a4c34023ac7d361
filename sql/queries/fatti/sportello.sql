-- Facts of the sportello (server/fatti): after the head sql/queries/cruscotto/sportello_righe.sql
-- (the page's own rows), every year of [:inizio, :fine] in one pass, the year as a column.
insert into fatti_sportello (anno, codice_istat, area, accessi, nuovi)
select anno, codice_istat, area, count(*), count(*) filter (where nuovo)
from righe
group by 1, 2, 3
