-- Years side by side: economici.sql for every year of [:inizio, :fine] in one pass, the year as
-- a column. The facts store the same rows (server/fatti/calcola.ts).
with nascite as (
  select codice_fiscale, min(data_nascita) as dn, min(data_nascita_cf) as dncf
  from membri
  group by 1
)
select cast(extract(year from p.data_erogazione) as int) as anno,
       p.codice_istat, p.codice_prestazione,
       area_utenza_al(n.dn, coalesce(n.dncf, p.data_nascita_cf), k.area_utenza, p.data_erogazione) as area,
       count(*) as n,
       sum(p.costo) as costo, sum(p.quota_comune) as quota_comune, sum(p.recupero_assistito) as recupero_assistito,
       sum(p.recupero_famiglia) as recupero_famiglia, sum(p.recupero_altri_enti) as recupero_altri_enti, sum(p.recupero_altri) as recupero_altri
from prestazioni p
join comuni c on c.codice_istat = p.codice_istat and c.attivo
left join nascite n on n.codice_fiscale = p.codice_fiscale
left join cartelle k on k.id_cartella = p.id_cartella
where p.data_erogazione between :inizio and :fine
group by 1, 2, 3, 4
