-- Breakdowns of the people taken in charge (docs/analisi.md, "Persone prese in carico"): the
-- people the Sociali page counts as prese_in_carico at :fine (sql/queries/cruscotto/
-- sociali_persone.sql: members of a cartella of the comune opened on or before :fine whose
-- membership had started by then; each codice fiscale once per comune), for the active comuni
-- listed in :comuni (codes joined by commas), per comune and:
-- - sesso: the registry's (the most recent snapshot that has one for the CF), else decoded from a
--   valid CF (cf_sesso), else '' (not known);
-- - fascia: the age band at :fine (fascia_eta); the birth date of a member row is its own, else
--   the one decoded from the CF moved back 100 years if after :fine (as area_utenza_al). With
--   different birth dates on a person's rows the youngest band (the labels sort as the ages do);
--   '' when none is known;
-- - nascita: 'IT' or the foreign 'Z' code of a valid CF (cf_nascita), else ''.
-- Output: codice_istat, dim, cat, persone. Per comune each person is in one category of each
-- dimension, so the categories add up to the comune's prese_in_carico, and a selection's to the
-- sum over its comuni (as the Sociali page sums them).
with m as (
  select k.codice_istat, m.codice_fiscale as cf, m.cf_valido,
         coalesce(m.data_inizio, k.data_apertura) as inizio,
         k.data_apertura,
         fascia_eta(coalesce(m.data_nascita,
                             case when m.data_nascita_cf > cast(:fine as date) then cast(m.data_nascita_cf - interval '100 years' as date) else m.data_nascita_cf end),
                    cast(:fine as date)) as fascia
  from membri m
  join cartelle k on k.id_cartella = m.id_cartella
  join comuni c on c.codice_istat = k.codice_istat and c.attivo
  where k.codice_istat = any(string_to_array(cast(:comuni as text), ','))
),
prese as (
  select codice_istat, cf, bool_or(cf_valido) as valido, min(fascia) as fascia
  from m
  where data_apertura <= cast(:fine as date) and inizio <= cast(:fine as date)
  group by 1, 2
),
-- The registry's sesso of each person, read once per codice fiscale in one set-based pass, with
-- the tie-breaks of ripartizioni_righe.sql. The CFs are asked of membri itself (a superset), so
-- that the planner knows how many they are and hashes the registry instead of probing its index
-- once per person (2.4 s of 8 s at the regional scale).
sessi as (
  select distinct on (x.codice_fiscale) x.codice_fiscale as cf, x.sesso
  from anagrafe x
  join anagrafe_snapshot s on s.id = x.snapshot_id
  where x.sesso in ('M', 'F') and x.codice_fiscale in (select b.codice_fiscale from membri b)
  order by x.codice_fiscale, s.data_snapshot desc, s.id desc, x.sesso
),
righe as (
  select p.codice_istat, coalesce(g.sesso, cf_sesso(p.cf, p.valido), '') as sesso,
         coalesce(p.fascia, '') as fascia, coalesce(cf_nascita(p.cf, p.valido), '') as nascita
  from prese p
  left join sessi g on g.cf = p.cf
)
select codice_istat, 'sesso' as dim, sesso as cat, cast(count(*) as int) as persone from righe group by 1, 3
union all
select codice_istat, 'fascia', fascia, cast(count(*) as int) from righe group by 1, 3
union all
select codice_istat, 'nascita', nascita, cast(count(*) as int) from righe group by 1, 3
