-- Facts of month over month (server/fatti): sql/queries/cruscotto/mese.sql for every month of
-- [:inizio, :fine] in one pass, the month (YYYY-MM) as a column; the page takes the month and
-- the one before.
with nascite as (
  select codice_fiscale, min(data_nascita) as dn, min(data_nascita_cf) as dncf from membri group by 1
),
righe as (
  select 'accessi' as misura, a.data_accesso as giorno, a.codice_istat,
         area_utenza_al(a.data_nascita, a.data_nascita_cf, a.area_utenza, a.data_accesso) as area
  from accessi a
  where a.data_accesso between :inizio and :fine
  union all
  select 'cartelle', k.data_apertura, k.codice_istat, coalesce(k.area_utenza, 'non_indicata')
  from cartelle k
  where k.data_apertura between :inizio and :fine
  union all
  select 'erogazioni', p.data_erogazione, p.codice_istat, area_utenza_al(n.dn, coalesce(n.dncf, p.data_nascita_cf), k.area_utenza, p.data_erogazione)
  from prestazioni p
  left join nascite n on n.codice_fiscale = p.codice_fiscale
  left join cartelle k on k.id_cartella = p.id_cartella
  where p.data_erogazione between :inizio and :fine
)
insert into fatti_mese (mese, misura, codice_istat, area, n)
select to_char(r.giorno, 'YYYY-MM'), r.misura, r.codice_istat, r.area, count(*)
from righe r
join comuni c on c.codice_istat = r.codice_istat and c.attivo
group by 1, 2, 3, 4
