-- Shared head of the analyses (docs/analisi.md): the cartelle of the active comuni with
-- - esclusa: the census rule of docs/metriche.md ("Cartelle escluse") evaluated ONCE, at :al
--   (E = :al), so the same cartelle enter every figure of the period and the balance can close;
-- - incoerente: data_chiusura before data_apertura (the cartella side of the quality check
--   date_incoerenti, sql/queries/qualita/date_incoerenti.sql); such a cartella is never counted.
-- Continued by saldo.sql and carico.sql (the text is concatenated by server/analisi/sql.ts).
with erog as (
  -- The codes of a cartella's erogazioni up to :al are its (cartella, code) pairs whose first
  -- erogazione is up to :al (the list kept by the SIZ import, migration
  -- 20261209510000_prestazioni_codici), not a scan of every erogazione.
  select p.id_cartella, bool_and(k.pasti_trasporti) as solo_pasti
  from prestazioni_codici_attuali p
  join codici_prestazione k on k.codice_prestazione = p.codice_prestazione
  where p.id_cartella is not null and p.primo <= cast(:al as date)
  group by p.id_cartella
),
cart as (
  select c.id_cartella, c.codice_istat, c.operatore_id, c.data_apertura as a, c.data_chiusura as z,
         coalesce(e.solo_pasti, false) as esclusa,
         coalesce(c.data_chiusura < c.data_apertura, false) as incoerente
  from cartelle c
  join comuni co on co.codice_istat = c.codice_istat and co.attivo
  left join erog e on e.id_cartella = c.id_cartella
),
buone as (
  select * from cart where not esclusa and not incoerente
)
