-- cartelle_duplicate: two cartelle of the same comune (same non-empty codice_istat) with the
-- same holder CF that are open at the same time. A cartella is open at D when
-- data_apertura <= D < data_chiusura (docs/metriche.md, "Date di appartenenza"), so two cartelle
-- overlap when each opens before the other closes; one closed exactly on the day the other opens
-- does not overlap, and a cartella never open (chiusura <= apertura) duplicates nothing. The
-- finding goes on the later of the pair (later data_apertura, then higher id_cartella): the earlier
-- one is the original; the message names it. Pairs are formed only inside the few (comune, holder)
-- groups with more than one cartella, so the cost stays linear in the number of cartelle. The
-- holder is the member row with ruolo titolare; a cartella without one has as holder its first
-- member row in the file. The cartella's code and dates are read from q_membri (its cartella
-- joined by preparazione.sql; codice_cartella is the code as written, attributed or not), not
-- by joining cartelle again (~0.1 s at the regional scale).
insert into qualita_risultati (esecuzione_id, controllo, gravita, codice_istat, tabella, id_record, chiave, messaggio)
with senza_titolare as (
  select id_cartella, min(riga) as riga from q_membri
  group by id_cartella
  having not bool_or(coalesce(ruolo = 'titolare', false))
),
titolari as (
  select distinct m.id_cartella, m.codice_fiscale, m.codice_cartella as codice_istat, m.data_apertura, m.data_chiusura
  from q_membri m
  where (m.ruolo = 'titolare' or m.riga in (select riga from senza_titolare))
    and m.cartella_esiste
    and m.codice_cartella is not null
    and m.data_apertura < coalesce(m.data_chiusura, 'infinity')
),
gruppi as (
  select * from (
    select t.*, count(*) over (partition by t.codice_istat, t.codice_fiscale) as n from titolari t
  ) x
  where x.n > 1
),
doppie as (
  select b.id_cartella, b.codice_istat, string_agg(distinct a.id_cartella, ', ') as altre
  from gruppi a
  join gruppi b on b.codice_istat = a.codice_istat and b.codice_fiscale = a.codice_fiscale
  where (a.data_apertura, a.id_cartella) < (b.data_apertura, b.id_cartella)
    and b.data_apertura < coalesce(a.data_chiusura, 'infinity')
  group by b.id_cartella, b.codice_istat
)
select cast(:esecuzione as integer), 'cartelle_duplicate', :gravita, co.codice_istat, 'cartelle', d.id_cartella, d.id_cartella,
       'Stesso titolare di un''altra cartella del comune aperta nello stesso periodo: ' || d.altre
from doppie d
left join comuni co on co.codice_istat = d.codice_istat;
