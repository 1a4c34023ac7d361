-- The monthly digest of every active comune, in one pass (docs/promemoria.md, "Riepilogo").
-- Month M = [m1, m2), the month before = [p1, m1). Figures: the latest successful
-- reconciliation, the latest successful data-quality run, and accessi / new cartelle /
-- erogazioni dated in M and in the month before.
with ultima as (
  select max(id) as id from riconciliazioni where esito = 'ok'
),
rc as (
  select * from riconciliazione_comuni where riconciliazione_id = (select id from ultima)
),
qualita as (
  select qc.codice_istat, qc.punteggio
  from qualita_comuni qc
  where qc.esecuzione_id = (select max(id) from qualita_esecuzioni where esito = 'ok')
),
acc as (
  select codice_istat,
         count(*) filter (where data_accesso >= cast(:m1 as date)) as m,
         count(*) filter (where data_accesso < cast(:m1 as date)) as p
  from accessi
  where data_accesso >= cast(:p1 as date) and data_accesso < cast(:m2 as date)
  group by codice_istat
),
car as (
  select codice_istat,
         count(*) filter (where data_apertura >= cast(:m1 as date)) as m,
         count(*) filter (where data_apertura < cast(:m1 as date)) as p
  from cartelle
  where data_apertura >= cast(:p1 as date) and data_apertura < cast(:m2 as date)
  group by codice_istat
),
ero as (
  select codice_istat,
         count(*) filter (where data_erogazione >= cast(:m1 as date)) as m,
         count(*) filter (where data_erogazione < cast(:m1 as date)) as p
  from prestazioni
  where data_erogazione >= cast(:p1 as date) and data_erogazione < cast(:m2 as date)
  group by codice_istat
)
select c.codice_istat, c.nome, coalesce(c.email_ufficio, c.email) as email, cluster_popolazione(c.popolazione) as cluster, c.distretto,
       rc.digit_tot, rc.digit_cluster, rc.digit_distretto, rc.mancanti_obiettivo, rc.stato,
       rc.cartelle_attive_siz, rc.cartelle_attive_dich, rc.previsione_obiettivo,
       cast(rc.scadenza as text) as scadenza, rc.obiettivo_scadenza, cast(rc.previsione_scadenza as text) as previsione_scadenza,
       q.punteggio,
       coalesce(acc.m, 0) as accessi_mese, coalesce(acc.p, 0) as accessi_prima,
       coalesce(car.m, 0) as cartelle_mese, coalesce(car.p, 0) as cartelle_prima,
       coalesce(ero.m, 0) as erogazioni_mese, coalesce(ero.p, 0) as erogazioni_prima
from comuni c
left join rc on rc.codice_istat = c.codice_istat
left join qualita q on q.codice_istat = c.codice_istat
left join acc on acc.codice_istat = c.codice_istat
left join car on car.codice_istat = c.codice_istat
left join ero on ero.codice_istat = c.codice_istat
where c.attivo
order by c.codice_istat
