-- Month over month, after the head mese_righe.sql: for the months [:inizio_prec,
-- :fine_prec] and [:inizio, :fine], per comune and area utenza: accessi (area of the person at
-- data_accesso), new cartelle (data_apertura in the month; the cartella's area) and erogazioni
-- (data_erogazione in the month; the beneficiary's area as in economici.sql).
select r.misura || case when r.giorno >= cast(:inizio as date) then '_mese' else '_prec' end as misura,
       r.codice_istat, r.area, count(*) as n
from righe r
join comuni c on c.codice_istat = r.codice_istat and c.attivo
where r.giorno between :inizio_prec and :fine_prec or r.giorno between :inizio and :fine
group by 1, 2, 3
