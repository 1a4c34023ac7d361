-- Per-comune summary of run :esecuzione, compared with run :precedente (null on the first run).
-- Records of a comune = its rows of cartelle, prestazioni and accessi (by their own codice_istat,
-- when in the registry) + the member rows of its cartelle. Everything else is non attribuito
-- (codice_istat null). The counts per table and code are preparazione.sql's (q_conteggi).
-- record_con_errori = records with at least one `errore` finding;
-- punteggio = 100 * (record - record_con_errori) / record (null without records).
-- nuovi / risolti: findings of the comune present in only one of the two runs, matched on
-- (controllo, tabella, chiave). The rows are: every comune of the registry that is active or
-- has records or findings, and always the non-attributed row.
-- The joins on the comune match null with null as `is not distinct from` would, but through
-- two equalities a hash join can use (with `is not distinct from` the planner compared every
-- comune with every comune, five times: ~1.5 s of 4.7 at the regional scale, docs/qualita.md).
insert into qualita_comuni (esecuzione_id, codice_istat, record, record_con_errori, punteggio, controlli, errori, avvisi, nuovi, risolti)
with rec as (
  select co.codice_istat, sum(x.righe) as n
  from q_conteggi x
  left join comuni co on co.codice_istat = x.codice_istat
  group by co.codice_istat
),
cur as (
  select * from qualita_risultati where esecuzione_id = cast(:esecuzione as integer)
),
prev as (
  select * from qualita_risultati where esecuzione_id = cast(:precedente as integer)
),
err as (
  select codice_istat, count(distinct tabella || ':' || id_record) as n
  from cur where gravita = 'errore' and id_record is not null
  group by codice_istat
),
per_controllo as (
  select codice_istat, controllo, count(*) as n, count(*) filter (where gravita = 'errore') as errori,
         count(*) filter (where gravita = 'avviso') as avvisi
  from cur group by codice_istat, controllo
),
conteggi as (
  select codice_istat, jsonb_object_agg(controllo, n) as controlli, sum(errori) as errori, sum(avvisi) as avvisi
  from per_controllo group by codice_istat
),
nuovi as (
  select c.codice_istat, count(*) as n from cur c
  where not exists (select 1 from prev p where p.controllo = c.controllo and p.tabella = c.tabella and p.chiave = c.chiave)
  group by c.codice_istat
),
risolti as (
  select p.codice_istat, count(*) as n from prev p
  where not exists (select 1 from cur c where c.controllo = p.controllo and c.tabella = p.tabella and c.chiave = p.chiave)
  group by p.codice_istat
),
entita as (
  select codice_istat from comuni where attivo
  union select codice_istat from rec
  union select codice_istat from conteggi
  union select null
)
select cast(:esecuzione as integer), e.codice_istat,
       coalesce(r.n, 0),
       coalesce(er.n, 0),
       case when coalesce(r.n, 0) = 0 then null else round(100.0 * (r.n - coalesce(er.n, 0)) / r.n, 2) end,
       coalesce(k.controlli, '{}'::jsonb),
       coalesce(k.errori, 0),
       coalesce(k.avvisi, 0),
       case when cast(:precedente as integer) is null then null else coalesce(nu.n, 0) end,
       case when cast(:precedente as integer) is null then null else coalesce(ri.n, 0) end
from entita e
left join rec r on coalesce(r.codice_istat, '') = coalesce(e.codice_istat, '') and (r.codice_istat is null) = (e.codice_istat is null)
left join err er on coalesce(er.codice_istat, '') = coalesce(e.codice_istat, '') and (er.codice_istat is null) = (e.codice_istat is null)
left join conteggi k on coalesce(k.codice_istat, '') = coalesce(e.codice_istat, '') and (k.codice_istat is null) = (e.codice_istat is null)
left join nuovi nu on coalesce(nu.codice_istat, '') = coalesce(e.codice_istat, '') and (nu.codice_istat is null) = (e.codice_istat is null)
left join risolti ri on coalesce(ri.codice_istat, '') = coalesce(e.codice_istat, '') and (ri.codice_istat is null) = (e.codice_istat is null);
