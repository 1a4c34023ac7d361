-- date_incoerenti, one finding per record listing every reason found:
--   cartelle: chiusura before apertura (equal dates are coherent), apertura or chiusura after oggi;
--   membri: data_fine before the effective start, data_inizio before data_apertura or after
--     data_chiusura, data_fine after data_chiusura (a member outside the cartella's dates; the
--     bounds themselves are inside), any date after oggi;
--   prestazioni, accessi: a date after oggi.
-- "The future" is after :oggi, the run's injected today, never the wall clock. The conditions
-- are computed as booleans first and the message is built only for the few rows that have one.
-- Erogazioni and accessi: the rows preparazione.sql flagged (q_prestazioni, q_accessi: futuro,
-- nascita_futura), with the attributed comune.
insert into qualita_risultati (esecuzione_id, controllo, gravita, codice_istat, tabella, id_record, riga, chiave, messaggio)
select cast(:esecuzione as integer), 'date_incoerenti', :gravita, r.codice_istat, r.tabella, r.id_record, r.riga,
       case when r.tabella = 'membri' then null else r.id_record end,
       'Date incoerenti: ' || concat_ws('; ',
         case when r.chiusura_prima then 'chiusura precedente all''apertura' end,
         case when r.fine_prima then 'fine del componente precedente al suo inizio' end,
         case when r.inizio_prima then 'componente inserito prima dell''apertura della cartella' end,
         case when r.inizio_dopo then 'componente inserito dopo la chiusura della cartella' end,
         case when r.fine_dopo then 'fine del componente dopo la chiusura della cartella' end,
         case when r.futuro1 then r.nome1 || ' nel futuro' end,
         case when r.futuro2 then r.nome2 || ' nel futuro' end,
         case when r.nascita_futura then 'data di nascita nel futuro' end)
from (
  select 'cartelle' as tabella, c.id_cartella as id_record, cast(null as integer) as riga, co.codice_istat,
         c.data_chiusura < c.data_apertura as chiusura_prima,
         false as fine_prima, false as inizio_prima, false as inizio_dopo, false as fine_dopo,
         c.data_apertura > cast(:oggi as date) as futuro1, 'apertura' as nome1,
         c.data_chiusura > cast(:oggi as date) as futuro2, 'chiusura' as nome2,
         false as nascita_futura
  from cartelle c
  left join comuni co on co.codice_istat = c.codice_istat
  union all
  select 'membri', m.id_record, m.riga, m.codice_istat,
         false,
         m.data_fine < m.inizio_eff,
         m.data_inizio < m.data_apertura,
         m.data_inizio > m.data_chiusura,
         m.data_fine > m.data_chiusura,
         m.data_inizio > cast(:oggi as date), 'inizio del componente',
         m.data_fine > cast(:oggi as date), 'fine del componente',
         m.data_nascita > cast(:oggi as date)
  from q_membri m
  union all
  select 'prestazioni', p.id_prestazione, null, p.codice_istat, false, false, false, false, false,
         p.futuro, 'erogazione', false, '', false
  from q_prestazioni p
  union all
  select 'accessi', a.id_accesso, null, a.codice_istat, false, false, false, false, false,
         a.futuro, 'accesso', false, '', a.nascita_futura
  from q_accessi a
) r
where r.chiusura_prima or r.fine_prima or r.inizio_prima or r.inizio_dopo or r.fine_dopo
   or r.futuro1 or r.futuro2 or r.nascita_futura;
