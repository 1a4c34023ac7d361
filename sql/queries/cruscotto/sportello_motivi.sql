-- Motivi di accesso per comune: accessi in [inizio, fine] with a motivo, optionally of one area
-- utenza (at data_accesso). Percentages are over the accessi that have a motivo (computed by
-- the service on the selection's sums).
select a.codice_istat, a.motivo_accesso as categoria, count(*) as n
from accessi a
join comuni c on c.codice_istat = a.codice_istat and c.attivo
where a.data_accesso between :inizio and :fine
  and a.motivo_accesso is not null
  and (cast(:area as text) is null or area_utenza_al(a.data_nascita, a.data_nascita_cf, a.area_utenza, a.data_accesso) = cast(:area as text))
group by 1, 2
