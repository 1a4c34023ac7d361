-- Breakdowns of the sportello's accessi and people (docs/analisi.md, "Ripartizioni"), the shared
-- head of the page's query (ripartizioni.sql) and of its precomputed facts
-- (sql/queries/fatti/ripartizioni.sql): one row per accesso with data_accesso in [:dal, :al] of
-- an active comune, of the comuni listed in :comuni (codes joined by commas; null: every active
-- comune), with:
-- - anno, codice_istat, id_accesso, cf (null: never a person), data_accesso;
-- - punto: punto_accesso, '' when empty;
-- - sesso: the registry's (the most recent snapshot that has one for the CF; at equal snapshots
--   the greater snapshot id, then 'F' before 'M', so that every reading agrees), else decoded
--   from a valid CF (cf_sesso), else null;
-- - fascia: the age band at data_accesso (fascia_eta, exact age), birth date as for the area
--   utenza: the row's, else the one decoded from the CF moved back 100 years if after the date;
-- - nascita: 'IT' or the foreign 'Z' code of a valid CF (cf_nascita), else null.
-- The registry's sesso is looked up once per CF of the period, in one set-based pass (a lookup
-- per accesso cost seconds at the regional scale: docs/analisi.md, "Misure"). The CFs are asked
-- of accessi itself (a superset: any comune, active or not), so that the planner knows how many
-- they are and hashes the registry for a large period instead of probing its index per CF.
with nel_periodo as (
  select a.id_accesso, a.codice_istat, a.codice_fiscale as cf, a.cf_valido, a.data_accesso,
         a.punto_accesso, a.data_nascita, a.data_nascita_cf
  from accessi a
  join comuni c on c.codice_istat = a.codice_istat and c.attivo
  where a.data_accesso between cast(:dal as date) and cast(:al as date)
    and (cast(:comuni as text) is null or a.codice_istat = any(string_to_array(cast(:comuni as text), ',')))
),
sesso_anagrafe as (
  select distinct on (x.codice_fiscale) x.codice_fiscale as cf, x.sesso
  from anagrafe x
  join anagrafe_snapshot s on s.id = x.snapshot_id
  where x.sesso in ('M', 'F')
    and x.codice_fiscale in (select b.codice_fiscale from accessi b
                             where b.data_accesso between cast(:dal as date) and cast(:al as date)
                               and (cast(:comuni as text) is null or b.codice_istat = any(string_to_array(cast(:comuni as text), ','))))
  order by x.codice_fiscale, s.data_snapshot desc, s.id desc, x.sesso
),
righe as (
  select cast(extract(year from a.data_accesso) as int) as anno, a.codice_istat, a.id_accesso,
         a.cf, a.data_accesso,
         coalesce(nullif(trim(a.punto_accesso), ''), '') as punto,
         coalesce(g.sesso, cf_sesso(a.cf, a.cf_valido)) as sesso,
         fascia_eta(coalesce(a.data_nascita,
                             case when a.data_nascita_cf > a.data_accesso then cast(a.data_nascita_cf - interval '100 years' as date) else a.data_nascita_cf end),
                    a.data_accesso) as fascia,
         cf_nascita(a.cf, a.cf_valido) as nascita
  from nel_periodo a
  left join sesso_anagrafe g on g.cf = a.cf
)
