-- Month over month (docs/metriche.md, "Cifre del cruscotto"): for the months [:inizio_prec,
-- :fine_prec] and [:inizio, :fine], per comune and area utenza: accessi (area of the person at
-- data_accesso), new cartelle (data_apertura in the month; the cartella's area) and erogazioni
-- (data_erogazione in the month; the beneficiary's area as in economici.sql).
with nascite as (
  select codice_fiscale, min(data_nascita) as dn, min(data_nascita_cf) as dncf from membri group by 1
),
righe as (
  select 'accessi' as misura, a.data_accesso as giorno, a.codice_istat,
         area_utenza_al(a.data_nascita, a.data_nascita_cf, a.area_utenza, a.data_accesso) as area
  from accessi a
  where a.data_accesso between :inizio_prec and :fine
  union all
  select 'cartelle', k.data_apertura, k.codice_istat, coalesce(k.area_utenza, 'non_indicata')
  from cartelle k
  where k.data_apertura between :inizio_prec and :fine
  union all
  select 'erogazioni', p.data_erogazione, p.codice_istat, area_utenza_al(n.dn, coalesce(n.dncf, p.data_nascita_cf), k.area_utenza, p.data_erogazione)
  from prestazioni p
  left join nascite n on n.codice_fiscale = p.codice_fiscale
  left join cartelle k on k.id_cartella = p.id_cartella
  where p.data_erogazione between :inizio_prec and :fine
)
select r.misura || case when r.giorno >= cast(:inizio as date) then '_mese' else '_prec' end as misura,
       r.codice_istat, r.area, count(*) as n
from righe r
join comuni c on c.codice_istat = r.codice_istat and c.attivo
where r.giorno between :inizio_prec and :fine_prec or r.giorno between :inizio and :fine
group by 1, 2, 3
