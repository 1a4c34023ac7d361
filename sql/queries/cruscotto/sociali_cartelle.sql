-- Sociali, cartelle (docs/metriche.md, "Cifre del cruscotto"), per comune and the cartella's area
-- utenza (empty = non_indicata):
--   concluse_anno: data_apertura and data_chiusura both in [:inizio, :fine];
--   precedenti_chiuse_anno: opened before :inizio and closed in [:inizio, :fine];
--   aperte: open on :giorno (31 December, or today for the current year): data_apertura <=
--           giorno and (data_chiusura empty or > giorno) - the numerator of `copertura`.
select 'concluse_anno' as misura, k.codice_istat, coalesce(k.area_utenza, 'non_indicata') as area, count(*) as n
from cartelle k join comuni c on c.codice_istat = k.codice_istat and c.attivo
where k.data_apertura between :inizio and :fine and k.data_chiusura between :inizio and :fine
group by 2, 3
union all
select 'precedenti_chiuse_anno', k.codice_istat, coalesce(k.area_utenza, 'non_indicata'), count(*)
from cartelle k join comuni c on c.codice_istat = k.codice_istat and c.attivo
where k.data_apertura < :inizio and k.data_chiusura between :inizio and :fine
group by 2, 3
union all
select 'aperte', k.codice_istat, coalesce(k.area_utenza, 'non_indicata'), count(*)
from cartelle k join comuni c on c.codice_istat = k.codice_istat and c.attivo
where k.data_apertura <= :giorno and (k.data_chiusura is null or k.data_chiusura > :giorno)
group by 2, 3
