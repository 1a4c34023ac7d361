-- Facts of the sportello (server/fatti): sql/queries/cruscotto/sportello_aree.sql for every year
-- of [:inizio, :fine] in one pass, the year as a column. "Nuovo" is the person's first ever
-- access in the comune, over all years, as there.
with primi as (
  select distinct on (a.codice_fiscale, a.codice_istat) a.id_accesso
  from accessi a
  where a.codice_fiscale is not null and a.codice_istat is not null
  order by a.codice_fiscale, a.codice_istat, a.data_accesso, a.id_accesso
)
insert into fatti_sportello (anno, codice_istat, area, accessi, nuovi)
select cast(extract(year from a.data_accesso) as int) as anno,
       a.codice_istat,
       area_utenza_al(a.data_nascita, a.data_nascita_cf, a.area_utenza, a.data_accesso) as area,
       count(*) as accessi,
       count(p.id_accesso) as nuovi
from accessi a
join comuni c on c.codice_istat = a.codice_istat and c.attivo
left join primi p on p.id_accesso = a.id_accesso
where a.data_accesso between :inizio and :fine
group by 1, 2, 3
