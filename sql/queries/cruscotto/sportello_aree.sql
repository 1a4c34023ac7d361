-- Sportello (docs/metriche.md, "Cifre del cruscotto"): accessi with data_accesso in [inizio, fine]
-- per comune and area utenza at data_accesso, and how many of them are "nuovi": the person's first
-- ever access in that comune (earliest data_accesso, ties broken by id_accesso; over all years). An
-- accesso without CF is never a person, so never "nuovo". Only active comuni of the registry.
with primi as (
  select distinct on (a.codice_fiscale, a.codice_istat) a.id_accesso
  from accessi a
  where a.codice_fiscale is not null and a.codice_istat is not null
  order by a.codice_fiscale, a.codice_istat, a.data_accesso, a.id_accesso
)
select a.codice_istat,
       area_utenza_al(a.data_nascita, a.data_nascita_cf, a.area_utenza, a.data_accesso) as area,
       count(*) as accessi,
       count(p.id_accesso) as nuovi
from accessi a
join comuni c on c.codice_istat = a.codice_istat and c.attivo
left join primi p on p.id_accesso = a.id_accesso
where a.data_accesso between :inizio and :fine
group by 1, 2
