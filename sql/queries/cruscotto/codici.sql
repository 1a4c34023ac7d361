-- Description of each code met in the erogazioni: the nomenclature's (with the parent-code
-- lookup of the data contract, view codici_prestazione), else the most common description
-- written in the SIZ rows.
select v.codice_prestazione,
       coalesce(v.descrizione,
                (select p.descrizione from prestazioni p
                 where p.codice_prestazione = v.codice_prestazione and p.descrizione is not null
                 group by p.descrizione order by count(*) desc, p.descrizione limit 1)) as descrizione,
       v.conosciuto
from codici_prestazione v
