-- Sportello (docs/metriche.md, "Cifre del cruscotto"), the shared head of the page's query
-- (sportello_aree.sql) and of its precomputed facts (sql/queries/fatti/sportello.sql): one row per
-- accesso with data_accesso in [:inizio, :fine] of an active comune of the registry, with its year,
-- the area utenza at data_accesso, and whether it is "nuovo": the person's first ever access in
-- that comune (earliest data_accesso, ties broken by id_accesso; over all years). An accesso
-- without CF is never a person, so never "nuovo".
-- The groups (CF, comune) are sorted byte by byte (collate "C"): only which rows are equal
-- matters to them, the same in every deterministic collation; the order inside a group keeps
-- the database's (docs/fatti.md, «Misure»).
with primi as (
  select distinct on (a.codice_fiscale collate "C", a.codice_istat collate "C") a.id_accesso
  from accessi a
  where a.codice_fiscale is not null and a.codice_istat is not null
  order by a.codice_fiscale collate "C", a.codice_istat collate "C", a.data_accesso, a.id_accesso
),
righe as (
  select cast(extract(year from a.data_accesso) as int) as anno,
         a.codice_istat,
         area_utenza_al(a.data_nascita, a.data_nascita_cf, a.area_utenza, a.data_accesso) as area,
         p.id_accesso is not null as nuovo
  from accessi a
  join comuni c on c.codice_istat = a.codice_istat and c.attivo
  left join primi p on p.id_accesso = a.id_accesso
  where a.data_accesso between :inizio and :fine
)
