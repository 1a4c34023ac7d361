-- codice_sconosciuto: the erogazione's code, and every parent of it, is missing from the
-- nomenclature. The lookup is the one shared view codici_prestazione (code, then parents), read
-- by preparazione.sql (q_prestazioni).
insert into qualita_risultati (esecuzione_id, controllo, gravita, codice_istat, tabella, id_record, chiave, messaggio)
select cast(:esecuzione as integer), 'codice_sconosciuto', :gravita, p.codice_istat, 'prestazioni', p.id_prestazione, p.id_prestazione,
       'Codice prestazione non presente nel nomenclatore (né come codice né come codice padre)'
from q_prestazioni p
where p.codice_sconosciuto;
