-- comune_mancante: a row of cartelle / prestazioni / accessi whose codice_istat is empty or not
-- in the registry of comuni. Such rows are "non attribuito" (codice_istat null).
insert into qualita_risultati (esecuzione_id, controllo, gravita, codice_istat, tabella, id_record, chiave, messaggio)
select cast(:esecuzione as integer), 'comune_mancante', :gravita, null, r.tabella, r.id, r.id,
       case when r.codice_istat is null then 'Codice ISTAT del comune mancante'
            else 'Codice ISTAT ' || r.codice_istat || ' non presente nell''anagrafica dei comuni' end
from (
  select 'cartelle' as tabella, id_cartella as id, codice_istat from cartelle
  union all
  select 'prestazioni', id_prestazione, codice_istat from prestazioni
  union all
  select 'accessi', id_accesso, codice_istat from accessi
) r
left join comuni co on co.codice_istat = r.codice_istat
where co.codice_istat is null;
