-- Operatori without an email address (they cannot receive the registry-variation alarms,
-- docs/variazioni.md), with the comuni of the cartelle they hold open at :al (docs/analisi.md).
select o.operatore_id, o.nome, o.cognome, o.codice_istat,
       coalesce(string_agg(distinct k.codice_istat, ',' order by k.codice_istat), '') as comuni_cartelle,
       count(k.id_cartella) as aperte
from operatori o
left join cartelle k on k.operatore_id = o.operatore_id
  and k.data_apertura <= cast(:al as date) and (k.data_chiusura is null or k.data_chiusura > cast(:al as date))
where o.email is null or trim(o.email) = ''
group by o.operatore_id, o.nome, o.cognome, o.codice_istat
order by o.cognome, o.nome, o.operatore_id
