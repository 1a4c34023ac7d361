-- cf_non_valido: the check-character test runs once, at import (server/shared/cf.ts), and its
-- result is the cf_valido column; here only the length is read, to say which kind of problem.
-- Prestazioni and accessi without a CF are not checked here (cf_mancante / anonymous accessi).
-- Erogazioni and accessi: the rows preparazione.sql flagged, with the CF's length.
insert into qualita_risultati (esecuzione_id, controllo, gravita, codice_istat, tabella, id_record, riga, chiave, messaggio)
select cast(:esecuzione as integer), 'cf_non_valido', :gravita, r.codice_istat, r.tabella, r.id_record, r.riga, r.chiave,
       case when r.lunghezza_cf <> 16
            then 'Codice fiscale non valido: ' || r.lunghezza_cf || ' caratteri invece di 16'
            else 'Codice fiscale non valido: forma o carattere di controllo errati' end
from (
  select 'membri' as tabella, m.id_record, m.riga, null as chiave, m.codice_istat, length(m.codice_fiscale) as lunghezza_cf
  from q_membri m
  where not m.cf_valido
  union all
  select 'prestazioni', p.id_prestazione, null, p.id_prestazione, p.codice_istat, p.lunghezza_cf
  from q_prestazioni p
  where p.cf_non_valido
  union all
  select 'accessi', a.id_accesso, null, a.id_accesso, a.codice_istat, a.lunghezza_cf
  from q_accessi a
  where a.cf_non_valido
) r;
