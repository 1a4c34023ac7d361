-- The rows of cartelle, prestazioni and accessi per codice_istat as written (the verdict now:
-- verdetto.sql).
select codice_istat, count(*) as n from cartelle group by codice_istat
union all select codice_istat, count(*) from prestazioni group by codice_istat
union all select codice_istat, count(*) from accessi group by codice_istat
