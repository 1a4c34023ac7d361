-- Facts of month over month (server/fatti): sql/queries/cruscotto/mese_top.sql for every month
-- of [:inizio, :fine] in one pass, the month (YYYY-MM) as a column.
with nascite as (
  select codice_fiscale, min(data_nascita) as dn, min(data_nascita_cf) as dncf from membri group by 1
)
insert into fatti_mese_top (mese, lista, codice_istat, categoria, area, n)
select to_char(a.data_accesso, 'YYYY-MM'), 'motivi', a.codice_istat, a.motivo_accesso,
       area_utenza_al(a.data_nascita, a.data_nascita_cf, a.area_utenza, a.data_accesso), count(*)
from accessi a join comuni c on c.codice_istat = a.codice_istat and c.attivo
where a.data_accesso between :inizio and :fine and a.motivo_accesso is not null
group by 1, 3, 4, 5
union all
select to_char(p.data_erogazione, 'YYYY-MM'), 'prestazioni', p.codice_istat, p.codice_prestazione,
       area_utenza_al(n.dn, coalesce(n.dncf, p.data_nascita_cf), k.area_utenza, p.data_erogazione), count(*)
from prestazioni p join comuni c on c.codice_istat = p.codice_istat and c.attivo
left join nascite n on n.codice_fiscale = p.codice_fiscale
left join cartelle k on k.id_cartella = p.id_cartella
where p.data_erogazione between :inizio and :fine
group by 1, 3, 4, 5
