-- caricamento_fermo: an active comune of the registry with no new cartella (data_apertura),
-- member (data_inizio), accesso (data_accesso) or erogazione (data_erogazione) dated in the
-- window [:oggi - :giorni days, :oggi], both ends included. Dates after :oggi are not activity
-- (they are date_incoerenti). valore = days since the latest dated record (null: none at all).
-- The latest date of each table and comune is preparazione.sql's (q_conteggi.ultimo: null when
-- none on or before :oggi, which max() skips as the rows filtered out before).
insert into qualita_risultati (esecuzione_id, controllo, gravita, codice_istat, tabella, id_record, chiave, messaggio, valore)
select cast(:esecuzione as integer), 'caricamento_fermo', :gravita, co.codice_istat, 'comuni', null, co.codice_istat,
       case when u.ultimo is null then 'Nessun dato caricato in SIZ per il comune'
            else 'Nessun nuovo dato negli ultimi ' || cast(:giorni as integer) || ' giorni: l''ultimo (cartella, componente, accesso o erogazione) è del '
                 || to_char(u.ultimo, 'DD/MM/YYYY') end,
       cast(:oggi as date) - u.ultimo
from comuni co
left join (
  select codice_istat, max(ultimo) as ultimo
  from q_conteggi
  group by codice_istat
) u on u.codice_istat = co.codice_istat
where co.attivo
  and (u.ultimo is null or u.ultimo < cast(:oggi as date) - cast(:giorni as integer));
