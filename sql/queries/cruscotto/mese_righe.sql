-- Month over month (docs/metriche.md, "Cifre del cruscotto"), the shared head of the page's query
-- (mese.sql) and of its precomputed facts (sql/queries/fatti/mese.sql): one row per accesso, new
-- cartella and erogazione dated in [:righe_da, :righe_a], with its day, comune and area utenza
-- (accessi: the person's area at data_accesso; cartelle: the cartella's area; erogazioni: the
-- beneficiary's area as in economici.sql), and its categoria: the accesso's motivo, the
-- erogazione's codice_prestazione, null for a cartella. The page's mese.sql does not read
-- categoria (the CTE is inlined there, the column dropped); the facts count mese.sql's and
-- mese_top.sql's rows in one pass over these rows (sql/queries/fatti/mese.sql).
with nascite as (
  select codice_fiscale, min(data_nascita) as dn, min(data_nascita_cf) as dncf from membri group by 1
),
righe as (
  select 'accessi' as misura, a.data_accesso as giorno, a.codice_istat,
         area_utenza_al(a.data_nascita, a.data_nascita_cf, a.area_utenza, a.data_accesso) as area,
         a.motivo_accesso as categoria
  from accessi a
  where a.data_accesso between :righe_da and :righe_a
  union all
  select 'cartelle', k.data_apertura, k.codice_istat, coalesce(k.area_utenza, 'non_indicata'), cast(null as text)
  from cartelle k
  where k.data_apertura between :righe_da and :righe_a
  union all
  select 'erogazioni', p.data_erogazione, p.codice_istat, area_utenza_al(n.dn, coalesce(n.dncf, p.data_nascita_cf), k.area_utenza, p.data_erogazione), p.codice_prestazione
  from prestazioni p
  left join nascite n on n.codice_fiscale = p.codice_fiscale
  left join cartelle k on k.id_cartella = p.id_cartella
  where p.data_erogazione between :righe_da and :righe_a
)
