-- cf_mancante: an erogazione without the beneficiary's CF (a member row without CF is already a
-- format error at import; an accesso may be anonymous by contract). The rows preparazione.sql
-- flagged (q_prestazioni).
insert into qualita_risultati (esecuzione_id, controllo, gravita, codice_istat, tabella, id_record, chiave, messaggio)
select cast(:esecuzione as integer), 'cf_mancante', :gravita, p.codice_istat, 'prestazioni', p.id_prestazione, p.id_prestazione,
       case when p.id_cartella is null then 'Erogazione senza codice fiscale né cartella: beneficiario non identificabile'
            else 'Erogazione senza codice fiscale del beneficiario' end
from q_prestazioni p
where p.cf_mancante;
