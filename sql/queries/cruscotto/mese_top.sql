-- Month over month: motivi of the accessi and codici of the erogazioni of the month
-- [:inizio, :fine], per comune and area (the service keeps the ten most frequent).
with nascite as (
  select codice_fiscale, min(data_nascita) as dn, min(data_nascita_cf) as dncf from membri group by 1
)
select 'motivi' as lista, a.codice_istat, a.motivo_accesso as categoria,
       area_utenza_al(a.data_nascita, a.data_nascita_cf, a.area_utenza, a.data_accesso) as area, count(*) as n
from accessi a join comuni c on c.codice_istat = a.codice_istat and c.attivo
where a.data_accesso between :inizio and :fine and a.motivo_accesso is not null
group by 2, 3, 4
union all
select 'prestazioni', p.codice_istat, p.codice_prestazione,
       area_utenza_al(n.dn, coalesce(n.dncf, p.data_nascita_cf), k.area_utenza, p.data_erogazione), count(*)
from prestazioni p join comuni c on c.codice_istat = p.codice_istat and c.attivo
left join nascite n on n.codice_fiscale = p.codice_fiscale
left join cartelle k on k.id_cartella = p.id_cartella
where p.data_erogazione between :inizio and :fine
group by 2, 3, 4
