-- cf_non_valido: the check-character test runs once, at import (server/shared/cf.ts), and its
-- result is the cf_valido column; here only the length is read, to say which kind of problem.
-- Prestazioni and accessi without a CF are not checked here (cf_mancante / anonymous accessi).
insert into qualita_risultati (esecuzione_id, controllo, gravita, codice_istat, tabella, id_record, riga, chiave, messaggio)
select cast(:esecuzione as integer), 'cf_non_valido', :gravita, r.codice_istat, r.tabella, r.id_record, r.riga, r.chiave,
       case when length(r.codice_fiscale) <> 16
            then 'Codice fiscale non valido: ' || length(r.codice_fiscale) || ' caratteri invece di 16'
            else 'Codice fiscale non valido: forma o carattere di controllo errati' end
from (
  select 'membri' as tabella, m.id_record, m.riga, null as chiave, m.codice_istat, m.codice_fiscale
  from q_membri m
  where not m.cf_valido
  union all
  select 'prestazioni', p.id_prestazione, null, p.id_prestazione, co.codice_istat, p.codice_fiscale
  from prestazioni p
  left join comuni co on co.codice_istat = p.codice_istat
  where p.codice_fiscale is not null and not p.cf_valido
  union all
  select 'accessi', a.id_accesso, null, a.id_accesso, co.codice_istat, a.codice_fiscale
  from accessi a
  left join comuni co on co.codice_istat = a.codice_istat
  where a.codice_fiscale is not null and not a.cf_valido
) r;
