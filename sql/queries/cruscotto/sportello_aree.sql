-- Sportello: accessi per comune and area utenza, and how many are "nuovi" (after the head
-- sportello_righe.sql, which defines them).
select codice_istat, area, count(*) as accessi, count(*) filter (where nuovo) as nuovi
from righe
group by 1, 2
