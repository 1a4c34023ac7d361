-- cartella_senza_membri: a cartella with no member row at all.
insert into qualita_risultati (esecuzione_id, controllo, gravita, codice_istat, tabella, id_record, chiave, messaggio)
select cast(:esecuzione as integer), 'cartella_senza_membri', :gravita, co.codice_istat, 'cartelle', c.id_cartella, c.id_cartella,
       'Cartella senza componenti: nessuna riga in membri'
from cartelle c
left join comuni co on co.codice_istat = c.codice_istat
where not exists (select 1 from membri m where m.id_cartella = c.id_cartella);
