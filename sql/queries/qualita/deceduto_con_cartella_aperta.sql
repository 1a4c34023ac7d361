-- deceduto_con_cartella_aperta: a member row whose membership is open at :oggi, in a cartella
-- open at :oggi, whose CF is `deceduto` in the latest registry snapshot (dated on or before
-- :oggi) of any comune. A member whose row already ends (data_fine) is not a member any more,
-- even if the household's cartella stays open.
insert into qualita_risultati (esecuzione_id, controllo, gravita, codice_istat, tabella, id_record, riga, messaggio)
select cast(:esecuzione as integer), 'deceduto_con_cartella_aperta', :gravita, m.codice_istat, 'membri', m.id_record, m.riga,
       'Persona deceduta secondo l''anagrafe (estrazione del ' || to_char(d.data_snapshot, 'DD/MM/YYYY')
         || ') ancora componente di una cartella aperta: chiudere la cartella e fermare le erogazioni'
from q_membri m
join (
  select a.codice_fiscale, max(s.data_snapshot) as data_snapshot
  from anagrafe_snapshot s
  join anagrafe a on a.snapshot_id = s.id
  where a.stato = 'deceduto'
    and s.data_snapshot = (select max(s2.data_snapshot) from anagrafe_snapshot s2
                           where s2.codice_istat = s.codice_istat and s2.data_snapshot <= cast(:oggi as date))
  group by a.codice_fiscale
) d on d.codice_fiscale = m.codice_fiscale
where m.cartella_esiste
  and m.data_apertura <= cast(:oggi as date) and (m.data_chiusura is null or m.data_chiusura > cast(:oggi as date))
  and m.inizio_eff <= cast(:oggi as date) and (m.fine_eff is null or m.fine_eff > cast(:oggi as date));
