-- Years side by side (docs/cruscotto.md, «Anni a confronto»): sportello_aree.sql for every year
-- of [:inizio, :fine] in one pass, the year as a column (after the head sportello_righe.sql).
select anno, codice_istat, area, count(*) as accessi, count(*) filter (where nuovo) as nuovi
from righe
group by 1, 2, 3
