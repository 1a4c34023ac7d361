-- Member rows joined once per run with their cartella and comune (temporary, dropped at
-- commit). A member row is attributed to the comune of its cartella when that code is in the
-- registry; otherwise (no cartella, no code, unknown code) it is non attribuito (null).
-- Effective dates as in docs/metriche.md ("Date di appartenenza"): start = data_inizio or the
-- cartella's data_apertura, end = the earliest of data_fine and data_chiusura (least() ignores
-- nulls). The identity of a member row across runs (`chiave`) is computed at the end of the run,
-- only for the rows that have a finding (chiavi_membri.sql).
create temp table q_membri on commit drop as
select m.riga,
       m.id_cartella,
       m.codice_fiscale,
       m.cf_valido,
       m.ruolo,
       m.data_inizio,
       m.data_fine,
       m.data_nascita,
       c.id_cartella is not null as cartella_esiste,
       co.codice_istat,
       c.data_apertura,
       c.data_chiusura,
       coalesce(m.data_inizio, c.data_apertura) as inizio_eff,
       least(m.data_fine, c.data_chiusura) as fine_eff,
       m.id_cartella || '/riga ' || m.riga as id_record
from membri m
left join cartelle c on c.id_cartella = m.id_cartella
left join comuni co on co.codice_istat = c.codice_istat;
