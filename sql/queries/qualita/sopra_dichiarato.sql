-- sopra_dichiarato: the comuni flagged sopra_dichiarato (digit_tot > 100) by the latest
-- reconciliation run with esito 'ok'. The reconciliation computes it; this check only reports it.
insert into qualita_risultati (esecuzione_id, controllo, gravita, codice_istat, tabella, id_record, chiave, messaggio, valore)
select cast(:esecuzione as integer), 'sopra_dichiarato', :gravita, co.codice_istat, 'comuni', null, co.codice_istat,
       'Cartelle attive in SIZ (' || rc.cartelle_attive_siz || ') più di quelle dichiarate nel censimento ('
         || rc.cartelle_attive_dich || '): digitalizzazione al ' || replace(to_char(rc.digit_tot, 'FM999999990.00'), '.', ',')
         || '%, da verificare con il comune',
       rc.digit_tot
from riconciliazione_comuni rc
join comuni co on co.codice_istat = rc.codice_istat
where rc.sopra_dichiarato
  and rc.riconciliazione_id = (select max(r.id) from riconciliazioni r where r.esito = 'ok');
