-- Rows of the period without a comune of the registry ("non attribuito"): not in any figure of
-- a comune or of the ambito, shown apart so the totals can be reconciled with SIZ.
select
  (select count(*) from accessi a where a.data_accesso between :inizio and :fine
     and not exists (select 1 from comuni c where c.codice_istat = a.codice_istat and c.attivo)) as accessi,
  (select count(*) from cartelle k where k.data_apertura <= :fine and (k.data_chiusura is null or k.data_chiusura >= :inizio)
     and not exists (select 1 from comuni c where c.codice_istat = k.codice_istat and c.attivo)) as cartelle,
  (select count(*) from prestazioni p where p.data_erogazione between :inizio and :fine
     and not exists (select 1 from comuni c where c.codice_istat = p.codice_istat and c.attivo)) as prestazioni
