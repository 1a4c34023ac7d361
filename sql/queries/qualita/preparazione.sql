-- Member rows joined once per run with their cartella and comune (temporary, dropped at
-- commit). A member row is attributed to the comune of its cartella when that code is in the
-- registry; otherwise (no cartella, no code, unknown code) it is non attribuito (null).
-- Effective dates as in docs/metriche.md ("Date di appartenenza"): start = data_inizio or the
-- cartella's data_apertura, end = the earliest of data_fine and data_chiusura (least() ignores
-- nulls). codice_cartella is the cartella's code as written (cartelle_duplicate.sql groups on
-- it). The identity of a member row across runs (`chiave`) is computed at the end of the run,
-- only for the rows that have a finding (chiavi_membri.sql).

-- The planner expects the filters below to keep ~600 k of the 2.9 M erogazioni (its default
-- selectivity for the comparisons of sums) where they keep ~23 k: at the default cost of moving a
-- row from a parallel worker it planned the scan on one process. At 0.01 (this transaction's
-- preparation only, PGlite has no workers) the scans of prestazioni, accessi and membri run on
-- two workers and the leader: at the regional scale, under load 7.5-8.4, the prestazioni scan
-- took 1.5-1.9 s instead of 2.6-2.9 for the same CPU seconds (docs/qualita.md).
set local parallel_tuple_cost = 0.01;

-- The member rows (see the top of this file).
create temp table q_membri on commit drop as
select m.riga,
       m.id_cartella,
       m.codice_fiscale,
       m.cf_valido,
       m.ruolo,
       m.data_inizio,
       m.data_fine,
       m.data_nascita,
       c.id_cartella is not null as cartella_esiste,
       co.codice_istat,
       c.codice_istat as codice_cartella,
       c.data_apertura,
       c.data_chiusura,
       coalesce(m.data_inizio, c.data_apertura) as inizio_eff,
       least(m.data_fine, c.data_chiusura) as fine_eff,
       m.id_cartella || '/riga ' || m.riga as id_record
from membri m
left join cartelle c on c.id_cartella = m.id_cartella
left join comuni co on co.codice_istat = c.codice_istat;

-- The erogazioni and accessi that some record-level check flags, with the reason(s) as booleans
-- (temporary, dropped at commit): each check then reads these few rows, not the whole table. One
-- pass over each table instead of one per check: at the regional scale (2.9 M erogazioni) each
-- pass cost 0.3-0.5 CPU seconds just to read the row up to the columns it tests (docs/qualita.md,
-- "Performance"). The conditions are the checks' own, written here once:
--   comune_mancante: codice_istat empty or not in the registry;
--   cf_mancante: no CF; cf_non_valido: a CF whose check at import failed (cf_valido);
--   futuro (date_incoerenti): the row's date after :oggi; accessi also nascita_futura;
--   codice_sconosciuto: the code is one of :sconosciuti, the codes met that are missing from the
--     nomenclature with all their parents (view codici_prestazione, read before by
--     server/qualita/esecuzione.ts: that view calls a function PostgreSQL cannot run in a
--     parallel worker, and any subquery would keep this scan on one process too);
--   importi_incoerenti (prestazioni): negativo, recuperi_oltre, quota_diversa (see
--     importi_incoerenti.sql). `importi_possibili` is implied by their disjunction: with no
--     negative amount and no recovery, the recoveries sum to 0, so recuperi_oltre is false and
--     quota_diversa is |quota_comune - costo| > 0.01. It is tested first, with comparisons only:
--     the sums of numeric columns (the check's cost, 1.4 of its 1.7 CPU seconds) are computed
--     for the ~20% of rows with a recovery.
-- On PostgreSQL each of these scans runs on parallel workers (create table as select may).
create temp table q_prestazioni on commit drop as
select x.id_prestazione, x.id_cartella, x.codice_file, x.codice_istat, x.lunghezza_cf,
       x.comune_mancante, x.cf_mancante, x.cf_non_valido, x.futuro, x.codice_sconosciuto,
       x.negativo, x.recuperi_oltre, x.quota_diversa
from (
  select p.id_prestazione, p.id_cartella, p.codice_istat as codice_file, co.codice_istat, length(p.codice_fiscale) as lunghezza_cf,
         co.codice_istat is null as comune_mancante,
         p.codice_fiscale is null as cf_mancante,
         p.codice_fiscale is not null and not p.cf_valido as cf_non_valido,
         p.data_erogazione > cast(:oggi as date) as futuro,
         p.codice_prestazione = any(cast(:sconosciuti as text[])) as codice_sconosciuto,
         p.costo < 0 or p.recupero_assistito <> 0 or p.recupero_famiglia <> 0 or p.recupero_altri_enti <> 0 or p.recupero_altri <> 0
           or (p.quota_comune_indicata and (p.quota_comune < 0 or abs(p.quota_comune - p.costo) > 0.01)) as importi_possibili,
         p.costo < 0 or p.recupero_assistito < 0 or p.recupero_famiglia < 0 or p.recupero_altri_enti < 0
           or p.recupero_altri < 0 or (p.quota_comune_indicata and p.quota_comune < 0) as negativo,
         p.costo >= 0 and p.recupero_assistito + p.recupero_famiglia + p.recupero_altri_enti + p.recupero_altri > p.costo as recuperi_oltre,
         p.quota_comune_indicata
           and abs(p.quota_comune + p.recupero_assistito + p.recupero_famiglia + p.recupero_altri_enti + p.recupero_altri - p.costo) > 0.01 as quota_diversa
  from prestazioni p
  left join comuni co on co.codice_istat = p.codice_istat
) x
where x.comune_mancante or x.cf_mancante or x.cf_non_valido or x.futuro or x.codice_sconosciuto
   or (x.importi_possibili and (x.negativo or x.recuperi_oltre or x.quota_diversa));

create temp table q_accessi on commit drop as
select x.id_accesso, x.codice_file, x.codice_istat, x.lunghezza_cf, x.comune_mancante, x.cf_non_valido, x.futuro, x.nascita_futura
from (
  select a.id_accesso, a.codice_istat as codice_file, co.codice_istat, length(a.codice_fiscale) as lunghezza_cf,
         co.codice_istat is null as comune_mancante,
         a.codice_fiscale is not null and not a.cf_valido as cf_non_valido,
         a.data_accesso > cast(:oggi as date) as futuro,
         a.data_nascita > cast(:oggi as date) as nascita_futura
  from accessi a
  left join comuni co on co.codice_istat = a.codice_istat
) x
where x.comune_mancante or x.cf_non_valido or x.futuro or x.nascita_futura;

-- Per table and code as written (members: their attributed comune), one pass each: the rows, the
-- missing optional fields (campi_facoltativi_mancanti) and the latest date on or before :oggi
-- (caricamento_fermo; null when none). The verdict, these two checks and the summary's record
-- counts read it, instead of a pass of their own over each table.
create temp table q_conteggi on commit drop as
select 'cartelle' as tabella, codice_istat, count(*) as righe,
       count(*) filter (where area_utenza is null) as senza_area,
       count(*) filter (where operatore_id is null) as senza_operatore,
       cast(null as bigint) as senza_motivo, cast(null as bigint) as senza_problema,
       max(data_apertura) filter (where data_apertura <= cast(:oggi as date)) as ultimo
from cartelle group by codice_istat
union all
select 'membri', codice_istat, count(*), null, null, null, null,
       max(data_inizio) filter (where data_inizio <= cast(:oggi as date))
from q_membri group by codice_istat
union all
select 'prestazioni', codice_istat, count(*), null, null, null, null,
       max(data_erogazione) filter (where data_erogazione <= cast(:oggi as date))
from prestazioni group by codice_istat
union all
select 'accessi', codice_istat, count(*), null, null,
       count(*) filter (where motivo_accesso is null),
       count(*) filter (where problema_riscontrato is null),
       max(data_accesso) filter (where data_accesso <= cast(:oggi as date))
from accessi group by codice_istat;

set local parallel_tuple_cost to default;
