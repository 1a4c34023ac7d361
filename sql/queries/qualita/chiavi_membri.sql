-- The identity across runs of the member rows that have a finding in run :esecuzione. A member
-- row has no id of its own and its line number (`riga`, shown to people) moves when lines are
-- added above it; its CF must not be stored in findings. So the key is: the cartella, the row's
-- data_inizio, and its position among the cartella's rows with that data_inizio, ordered by CF
-- (id_cartella, codice_fiscale, data_inizio is unique by contract). Computed only for the
-- cartelle that have such findings.
update qualita_risultati r
set chiave = k.chiave
from (
  select m.riga,
         m.id_cartella || '/' || coalesce(to_char(m.data_inizio, 'YYYY-MM-DD'), '-') || '/'
           || row_number() over (partition by m.id_cartella, m.data_inizio order by m.codice_fiscale, m.riga) as chiave
  from membri m
  where m.id_cartella in (
    select x.id_cartella from membri x
    join qualita_risultati f on f.riga = x.riga and f.esecuzione_id = cast(:esecuzione as integer) and f.tabella = 'membri')
) k
where r.esecuzione_id = cast(:esecuzione as integer) and r.tabella = 'membri' and r.riga = k.riga;
