-- Facts of sociali, people (server/fatti/calcola.ts): the members of the cartelle of the active
-- comuni, joined once for every year of the facts (a temporary table, dropped with the job's
-- transaction) instead of once per year. Same columns and rules as the head `m` of
-- sql/queries/cruscotto/sociali_persone.sql, without the area (it depends on the year's :fine),
-- plus:
-- - `unico`: the person (codice_istat, codice_fiscale; an empty CF is one group, as in the page's
--   group by) has this one membership in the comune. Most people have one: their yearly figure
--   needs no grouping per person (sql/queries/fatti/sociali_persone.sql);
-- - `anno_nascita`, `nascita_da_cf`: the year of the birth date area_utenza_al reads (the row's,
--   else the one decoded from the CF) and whether it is the CF's: on 31 December the age is the
--   difference of the years, so the area of each year needs no date arithmetic per row.
create temporary table fatti_membri on commit drop as
select k.codice_istat, m.codice_fiscale,
       count(*) over (partition by k.codice_istat, m.codice_fiscale) = 1 as unico,
       coalesce(m.data_inizio, k.data_apertura) as inizio,
       least(m.data_fine, k.data_chiusura) as fine,
       k.data_apertura, k.area_utenza,
       cast(extract(year from coalesce(m.data_nascita, m.data_nascita_cf)) as integer) as anno_nascita,
       m.data_nascita is null as nascita_da_cf
from membri m
join cartelle k on k.id_cartella = m.id_cartella
join comuni c on c.codice_istat = k.codice_istat and c.attivo
