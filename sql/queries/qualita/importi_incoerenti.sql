-- importi_incoerenti: a negative amount (cost, recoveries, or the comune's share when given in
-- the file), recoveries larger than the cost, or a given quota_comune + recoveries that differs
-- from the cost by more than 0.01 (a difference of exactly 0.01 is tolerated). When quota_comune
-- was empty the import set it to cost - recoveries, so it is not checked again. A negative cost
-- is reported as negative only (any recovery "exceeds" it; the sign is the mistake).
insert into qualita_risultati (esecuzione_id, controllo, gravita, codice_istat, tabella, id_record, chiave, messaggio)
select cast(:esecuzione as integer), 'importi_incoerenti', :gravita, co.codice_istat, 'prestazioni', r.id_prestazione, r.id_prestazione,
       'Importi incoerenti: ' || concat_ws('; ',
         case when r.negativo then 'importo negativo' end,
         case when r.recuperi_oltre then 'recuperi superiori al costo' end,
         case when r.quota_diversa then 'quota del comune più recuperi diversa dal costo' end)
from (
  select p.id_prestazione, p.codice_istat,
         p.costo < 0 or p.recupero_assistito < 0 or p.recupero_famiglia < 0 or p.recupero_altri_enti < 0
           or p.recupero_altri < 0 or (p.quota_comune_indicata and p.quota_comune < 0) as negativo,
         p.costo >= 0 and p.recupero_assistito + p.recupero_famiglia + p.recupero_altri_enti + p.recupero_altri > p.costo as recuperi_oltre,
         p.quota_comune_indicata
           and abs(p.quota_comune + p.recupero_assistito + p.recupero_famiglia + p.recupero_altri_enti + p.recupero_altri - p.costo) > 0.01 as quota_diversa
  from prestazioni p
) r
left join comuni co on co.codice_istat = r.codice_istat
where r.negativo or r.recuperi_oltre or r.quota_diversa;
