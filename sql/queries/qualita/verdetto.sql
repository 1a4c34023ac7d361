-- Reliability of the SIZ data now loaded: rows of cartelle + prestazioni + accessi, how many are
-- non attribuiti (no or unknown codice_istat), the extraction date, and the latest SIZ import
-- that failed (rifiutata / errore) or is held (sospesa: a table lost too many rows, waiting for
-- "conferma") after the latest accepted one (ok / nessuna_modifica), if any.
-- `righe_per_codice` (codice_istat as written, n) is the CTE server/qualita/verdetto.ts puts
-- before this text: verdetto_righe.sql (counted now) or, in a run of the checks, the counts its
-- preparation already made (verdetto_conteggi.sql), so the run does not read the tables again.
select coalesce(r.righe, 0) as righe,
       coalesce(r.righe_senza_comune, 0) as righe_senza_comune,
       (select max(data_estrazione) from siz_tabelle) as data_estrazione,
       f.id as fallita_id, f.esito as fallita_esito, f.avviato_il as fallita_il
from (
  select sum(x.n) as righe, sum(x.n) filter (where co.codice_istat is null) as righe_senza_comune
  from righe_per_codice x
  left join comuni co on co.codice_istat = x.codice_istat
) r
left join lateral (
  select i.id, i.esito, i.avviato_il
  from importazioni i
  where i.tipo = 'siz' and i.esito in ('rifiutata', 'errore', 'sospesa')
    and i.id > coalesce((select max(ok.id) from importazioni ok where ok.tipo = 'siz' and ok.esito in ('ok', 'nessuna_modifica')), 0)
  order by i.id desc
  limit 1
) f on true
