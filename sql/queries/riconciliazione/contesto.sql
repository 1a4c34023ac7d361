-- Common part of the census metrics (docs/metriche.md, "Metriche del censimento (lato SIZ)"), for
-- all active comuni at once (or one, with :comune). Continued by metriche.sql (counts per comune)
-- or dettaglio.sql (the records behind one figure). Parameters:
--   :data_rif   census round asked for (date) or null = each comune's most recent round
--   :e_default  E for comuni without that round (see docs/metriche.md)
--   :comune     codice_istat or null = every active comune
with giro as (
  -- The census round of each comune and its E / Ps.
  select c.codice_istat, c.nome, c.popolazione, c.distretto,
         cluster_popolazione(c.popolazione) as cluster,
         r.data_riferimento,
         coalesce(r.data_riferimento, cast(:e_default as date)) as e,
         coalesce(r.periodo_inizio,
                  make_date(cast(extract(year from coalesce(r.data_riferimento, cast(:e_default as date))) as integer), 1, 1)) as ps,
         r.cartelle_attive as cartelle_attive_dich,
         r.cartelle_attive_tutela as cartelle_attive_tutela_dich,
         r.utenti_in_carico as utenti_in_carico_dich,
         r.utenti_in_carico_tutela as utenti_in_carico_tutela_dich,
         r.cartelle_aperte_periodo as cartelle_aperte_periodo_dich,
         r.utenti_nuovi_periodo as utenti_nuovi_periodo_dich,
         r.cartelle_chiuse_periodo as cartelle_chiuse_periodo_dich,
         r.utenti_senza_cartella_periodo as utenti_senza_cartella_periodo_dich
  from comuni c
  left join lateral (
    select s.* from censimento s
    where s.codice_istat = c.codice_istat
      and (cast(:data_rif as date) is null or s.data_riferimento = cast(:data_rif as date))
    order by s.data_riferimento desc
    limit 1
  ) r on true
  where c.attivo and (cast(:comune as text) is null or c.codice_istat = cast(:comune as text))
),
erog_codici as (
  -- The distinct pairs (cartella, code) of the erogazioni linked to a cartella and dated <= E of
  -- the cartella's comune: the pairs whose first erogazione is <= E, from the list the SIZ
  -- import keeps (migration 20261209510000_prestazioni_codici: the view computes them from the
  -- erogazioni when anything else wrote them since), not from a scan of every erogazione.
  select p.id_cartella, p.codice_prestazione
  from prestazioni_codici_attuali p
  join cartelle c on c.id_cartella = p.id_cartella
  join giro g on g.codice_istat = c.codice_istat
  where p.primo <= g.e
),
erog_e as (
  -- Whether all those erogazioni are meals / transport: the few codes met are resolved once
  -- each by voce_codice (parent codes, the same function as the view codici_prestazione),
  -- instead of the view's DISTINCT over every erogazione, a second scan of the table.
  select x.id_cartella, bool_and(k.pasti_trasporti) as solo_pasti
  from erog_codici x
  join (
    select d.codice_prestazione, v.pasti_trasporti
    from (select distinct codice_prestazione from erog_codici) d
    cross join lateral voce_codice(d.codice_prestazione) v
  ) k on k.codice_prestazione = x.codice_prestazione
  group by x.id_cartella
),
cart as (
  -- Cartelle of the comuni in scope (unknown comuni drop out here), with the rules applied.
  select c.id_cartella, c.codice_istat, c.data_apertura, c.data_chiusura, c.tutela_minori, g.e, g.ps,
         coalesce(x.solo_pasti, false) as esclusa,
         not coalesce(x.solo_pasti, false)
           and c.data_apertura <= g.e and (c.data_chiusura is null or c.data_chiusura > g.e) as attiva
  from cartelle c
  join giro g on g.codice_istat = c.codice_istat
  left join erog_e x on x.id_cartella = c.id_cartella
),
mem as (
  -- Memberships with their effective dates (docs/metriche.md, "Date di appartenenza").
  select m.riga, m.codice_fiscale as cf, k.id_cartella, k.codice_istat, k.e, k.ps, k.esclusa, k.attiva, k.tutela_minori,
         coalesce(m.data_inizio, k.data_apertura) as inizio,
         least(m.data_fine, k.data_chiusura) as fine
  from membri m
  join cart k on k.id_cartella = m.id_cartella
)
