-- Problemi riscontrati per comune: as sportello_motivi, restricted to the accessi with the chosen
-- motivo when there is one ("choosing a motivo restricts problemi").
select a.codice_istat, a.problema_riscontrato as categoria, count(*) as n
from accessi a
join comuni c on c.codice_istat = a.codice_istat and c.attivo
where a.data_accesso between :inizio and :fine
  and a.problema_riscontrato is not null
  and (cast(:motivo as text) is null or a.motivo_accesso = cast(:motivo as text))
  and (cast(:area as text) is null or area_utenza_al(a.data_nascita, a.data_nascita_cf, a.area_utenza, a.data_accesso) = cast(:area as text))
group by 1, 2
