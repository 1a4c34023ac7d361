-- membro_cartella_inesistente: a member row whose id_cartella is not in cartelle (non attribuito).
insert into qualita_risultati (esecuzione_id, controllo, gravita, codice_istat, tabella, id_record, riga, messaggio)
select cast(:esecuzione as integer), 'membro_cartella_inesistente', :gravita, null, 'membri', m.id_record, m.riga,
       'Componente di una cartella che non esiste (' || m.id_cartella || ')'
from q_membri m
where not m.cartella_esiste;
