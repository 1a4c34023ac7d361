-- Caseload per operatore_id and comune (docs/analisi.md, "Carico per operatore"), after
-- cartelle.sql, on the cartelle "buone" only (the balance's set):
--   aperte: open at :al;  aperte_periodo, chiuse_periodo: a, z in [:dal, :al];
--   persone: distinct codici fiscali with a membership open at :al in a cartella open at :al
--   (effective dates as in docs/metriche.md: start = data_inizio or a, end = the earlier of
--   data_fine and z).
-- An empty operatore_id is its own row (operatore_id null). Names come only from operatori.
, per_cartella as (
  select b.id_cartella, b.codice_istat, b.operatore_id,
         b.a <= cast(:al as date) and (b.z is null or b.z > cast(:al as date)) as aperta,
         b.a between cast(:dal as date) and cast(:al as date) as aperta_periodo,
         coalesce(b.z between cast(:dal as date) and cast(:al as date), false) as chiusa_periodo
  from buone b
),
persone as (
  select k.operatore_id, k.codice_istat, count(distinct m.codice_fiscale) as persone
  from per_cartella k
  join buone b on b.id_cartella = k.id_cartella
  join membri m on m.id_cartella = k.id_cartella
  where k.aperta
    and coalesce(m.data_inizio, b.a) <= cast(:al as date)
    and (least(m.data_fine, b.z) is null or least(m.data_fine, b.z) > cast(:al as date))
  group by k.operatore_id, k.codice_istat
),
conti as (
  select operatore_id, codice_istat,
         count(*) filter (where aperta) as aperte,
         count(*) filter (where aperta_periodo) as aperte_periodo,
         count(*) filter (where chiusa_periodo) as chiuse_periodo
  from per_cartella
  group by operatore_id, codice_istat
)
select c.operatore_id, c.codice_istat, c.aperte, c.aperte_periodo, c.chiuse_periodo,
       coalesce(p.persone, 0) as persone,
       o.operatore_id is not null as in_anagrafica, o.nome, o.cognome, o.email,
       o.codice_istat as comune_operatore
from conti c
left join persone p on p.operatore_id is not distinct from c.operatore_id and p.codice_istat = c.codice_istat
left join operatori o on o.operatore_id = c.operatore_id
where c.aperte > 0 or c.aperte_periodo > 0 or c.chiuse_periodo > 0
