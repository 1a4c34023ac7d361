-- importi_incoerenti: a negative amount (cost, recoveries, or the comune's share when given in
-- the file), recoveries larger than the cost, or a given quota_comune + recoveries that differs
-- from the cost by more than 0.01 (a difference of exactly 0.01 is tolerated). When quota_comune
-- was empty the import set it to cost - recoveries, so it is not checked again. A negative cost
-- is reported as negative only (any recovery "exceeds" it; the sign is the mistake). The three
-- conditions are computed by preparazione.sql (q_prestazioni), in its one pass over the erogazioni.
insert into qualita_risultati (esecuzione_id, controllo, gravita, codice_istat, tabella, id_record, chiave, messaggio)
select cast(:esecuzione as integer), 'importi_incoerenti', :gravita, r.codice_istat, 'prestazioni', r.id_prestazione, r.id_prestazione,
       'Importi incoerenti: ' || concat_ws('; ',
         case when r.negativo then 'importo negativo' end,
         case when r.recuperi_oltre then 'recuperi superiori al costo' end,
         case when r.quota_diversa then 'quota del comune più recuperi diversa dal costo' end)
from q_prestazioni r
where r.negativo or r.recuperi_oltre or r.quota_diversa;
