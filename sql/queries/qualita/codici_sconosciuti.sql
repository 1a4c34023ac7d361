-- The codes of the erogazioni missing from the nomenclature, also through their parents (the
-- shared view codici_prestazione), for preparazione.sql (:sconosciuti).
select coalesce(array_agg(codice_prestazione order by codice_prestazione), cast('{}' as text[])) as codici
from codici_prestazione
where not conosciuto
