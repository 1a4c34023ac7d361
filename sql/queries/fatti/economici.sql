-- Facts of the economici (server/fatti): sql/queries/cruscotto/economici.sql for every year of
-- [:inizio, :fine] in one pass, the year as a column.
with nascite as (
  select codice_fiscale, min(data_nascita) as dn, min(data_nascita_cf) as dncf
  from membri
  group by 1
)
insert into fatti_economici (anno, codice_istat, codice_prestazione, area, n, costo, quota_comune, recupero_assistito, recupero_famiglia, recupero_altri_enti, recupero_altri)
select cast(extract(year from p.data_erogazione) as int) as anno,
       p.codice_istat, p.codice_prestazione,
       area_utenza_al(n.dn, coalesce(n.dncf, p.data_nascita_cf), k.area_utenza, p.data_erogazione) as area,
       count(*),
       sum(p.costo), sum(p.quota_comune), sum(p.recupero_assistito), sum(p.recupero_famiglia), sum(p.recupero_altri_enti), sum(p.recupero_altri)
from prestazioni p
join comuni c on c.codice_istat = p.codice_istat and c.attivo
left join nascite n on n.codice_fiscale = p.codice_fiscale
left join cartelle k on k.id_cartella = p.id_cartella
where p.data_erogazione between :inizio and :fine
group by 1, 2, 3, 4
