-- comune_mancante: a row of cartelle / prestazioni / accessi whose codice_istat is empty or not
-- in the registry of comuni. Such rows are "non attribuito" (codice_istat null). Erogazioni and
-- accessi: the rows preparazione.sql flagged (q_prestazioni, q_accessi; codice_file is the code as
-- written).
insert into qualita_risultati (esecuzione_id, controllo, gravita, codice_istat, tabella, id_record, chiave, messaggio)
select cast(:esecuzione as integer), 'comune_mancante', :gravita, null, r.tabella, r.id, r.id,
       case when r.codice_istat is null then 'Codice ISTAT del comune mancante'
            else 'Codice ISTAT ' || r.codice_istat || ' non presente nell''anagrafica dei comuni' end
from (
  select 'cartelle' as tabella, id_cartella as id, codice_istat from cartelle
  where not exists (select 1 from comuni co where co.codice_istat = cartelle.codice_istat)
  union all
  select 'prestazioni', id_prestazione, codice_file from q_prestazioni where comune_mancante
  union all
  select 'accessi', id_accesso, codice_file from q_accessi where comune_mancante
) r;
