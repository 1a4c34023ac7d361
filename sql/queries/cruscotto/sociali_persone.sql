-- Sociali, people (docs/metriche.md, "Cifre del cruscotto"), per comune and area utenza at :fine
-- (31 December of the year), each person (codice fiscale) counted once per comune:
--   prese_in_carico: members of any cartella of the comune opened on or before :fine, whose
--                    membership had started by then (cumulative since loading began);
--   beneficiari_anno: members with a membership overlapping [:inizio, :fine] (effective start
--                    <= fine, effective end empty or >= inizio).
-- Effective start = data_inizio, else the cartella's data_apertura; effective end = the earliest
-- of data_fine and data_chiusura (least() ignores the empty one). A person whose birth date is
-- unknown takes the cartella's area; with several cartelle of different areas, the first in
-- alphabetical order (min), so the split by area always adds up to the total.
with m as (
  select k.codice_istat, m.codice_fiscale,
         coalesce(m.data_inizio, k.data_apertura) as inizio,
         least(m.data_fine, k.data_chiusura) as fine,
         k.data_apertura,
         area_utenza_al(m.data_nascita, m.data_nascita_cf, k.area_utenza, cast(:fine as date)) as area
  from membri m
  join cartelle k on k.id_cartella = m.id_cartella
  join comuni c on c.codice_istat = k.codice_istat and c.attivo
),
prese as (
  select codice_istat, codice_fiscale, min(area) as area
  from m
  where data_apertura <= :fine and inizio <= :fine
  group by 1, 2
),
beneficiari as (
  select codice_istat, codice_fiscale, min(area) as area
  from m
  where inizio <= :fine and (fine is null or fine >= :inizio)
  group by 1, 2
)
select 'prese_in_carico' as misura, codice_istat, area, count(*) as n from prese group by 2, 3
union all
select 'beneficiari_anno', codice_istat, area, count(*) from beneficiari group by 2, 3
