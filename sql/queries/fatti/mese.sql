-- Facts of month over month (server/fatti): after the head sql/queries/cruscotto/mese_righe.sql,
-- the rows of sql/queries/cruscotto/mese.sql for every month of
-- [:inizio, :fine] in one pass, the month (YYYY-MM) as a column; the page takes the month and
-- the one before.
insert into fatti_mese (mese, misura, codice_istat, area, n)
select to_char(r.giorno, 'YYYY-MM'), r.misura, r.codice_istat, r.area, count(*)
from righe r
join comuni c on c.codice_istat = r.codice_istat and c.attivo
group by 1, 2, 3, 4
