-- caricamento_fermo: an active comune of the registry with no new cartella (data_apertura),
-- member (data_inizio), accesso (data_accesso) or erogazione (data_erogazione) dated in the
-- window [:oggi - :giorni days, :oggi], both ends included. Dates after :oggi are not activity
-- (they are date_incoerenti). valore = days since the latest dated record (null: none at all).
insert into qualita_risultati (esecuzione_id, controllo, gravita, codice_istat, tabella, id_record, chiave, messaggio, valore)
select cast(:esecuzione as integer), 'caricamento_fermo', :gravita, co.codice_istat, 'comuni', null, co.codice_istat,
       case when u.ultimo is null then 'Nessun dato caricato in SIZ per il comune'
            else 'Nessun nuovo dato negli ultimi ' || cast(:giorni as integer) || ' giorni: l''ultimo (cartella, componente, accesso o erogazione) è del '
                 || to_char(u.ultimo, 'DD/MM/YYYY') end,
       cast(:oggi as date) - u.ultimo
from comuni co
left join (
  select x.codice_istat, max(x.d) as ultimo
  from (
    select codice_istat, max(data_apertura) as d from cartelle where data_apertura <= cast(:oggi as date) group by codice_istat
    union all
    select codice_istat, max(data_inizio) from q_membri where data_inizio <= cast(:oggi as date) group by codice_istat
    union all
    select codice_istat, max(data_accesso) from accessi where data_accesso <= cast(:oggi as date) group by codice_istat
    union all
    select codice_istat, max(data_erogazione) from prestazioni where data_erogazione <= cast(:oggi as date) group by codice_istat
  ) x
  group by x.codice_istat
) u on u.codice_istat = co.codice_istat
where co.attivo
  and (u.ultimo is null or u.ultimo < cast(:oggi as date) - cast(:giorni as integer));
