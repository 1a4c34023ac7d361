-- The identity across runs of the member rows that have a finding in run :esecuzione. A member
-- row has no id of its own and its line number (`riga`, shown to people) moves when lines are
-- added above it; its CF must not be stored in findings. So the key is: the cartella, the row's
-- data_inizio, and its position among the cartella's rows with that data_inizio, ordered by CF
-- (id_cartella, codice_fiscale, data_inizio is unique by contract). Computed only for the
-- cartelle that have such findings.
-- The position is counted for each finding row (its cartella's rows with the same data_inizio
-- that come before it by CF, then riga), through the index on membri(id_cartella): the findings
-- just inserted have no statistics yet, and the planner, expecting one row, recomputed a
-- window over every such cartella once per finding (8.5 s for 1,691 findings at the regional
-- scale; now milliseconds, docs/qualita.md).
update qualita_risultati r
set chiave = m.id_cartella || '/' || coalesce(to_char(m.data_inizio, 'YYYY-MM-DD'), '-') || '/'
             || (1 + (select count(*) from membri x
                      where x.id_cartella = m.id_cartella
                        and x.data_inizio is not distinct from m.data_inizio
                        and (x.codice_fiscale, x.riga) < (m.codice_fiscale, m.riga)))
from membri m
where r.esecuzione_id = cast(:esecuzione as integer) and r.tabella = 'membri' and m.riga = r.riga;
