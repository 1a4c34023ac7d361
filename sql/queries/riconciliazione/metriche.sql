-- Continues contesto.sql: the eight SIZ counts of each comune, beside its declaration, and the
-- digitalization figures (docs/metriche.md, "Cifre della digitalizzazione"). Defines the CTE
-- `risultato`; the caller appends the final statement (insert into riconciliazione_comuni, or a
-- plain select). More parameters: :obiettivo, :soglia (numeric), :oggi (date, for the deadline).
, mem_e as (
  -- The memberships that start by E: each count below wants only those (in carico at E, the new
  -- people's earliest start, the memberships overlapping [Ps, E]). `mem` is read only here, so
  -- PostgreSQL inlines it and the join keeps a third of the 478 k memberships of the regional
  -- data set instead of writing them all out (docs/bench.md, the jobs of the cycle alone,
  -- 2026-12-05). dettaglio.sql reads `mem` whole, for the reasons of the ones not counted.
  select * from mem where inizio <= e
),
m_cart as (
  select codice_istat,
         count(*) filter (where attiva) as cartelle_attive,
         count(*) filter (where attiva and tutela_minori) as cartelle_attive_tutela,
         count(*) filter (where not esclusa and data_apertura between ps and e) as cartelle_aperte_periodo,
         count(*) filter (where not esclusa and data_chiusura between ps and e) as cartelle_chiuse_periodo
  from cart
  group by codice_istat
),
m_carico as (
  -- People with a membership open at E in a counted cartella, once per CF.
  select codice_istat,
         count(distinct cf) as utenti_in_carico,
         count(distinct cf) filter (where tutela_minori) as utenti_in_carico_tutela
  from mem_e
  where attiva and inizio <= e and (fine is null or fine > e)
  group by codice_istat
),
m_nuovi as (
  -- People whose earliest effective start, over the non-excluded cartelle of the comune, is in [Ps, E].
  -- Only starts up to E are grouped: a person whose earliest start is after E is not counted
  -- either way, and when one start is up to E the later ones are not the earliest (the people
  -- grouped at the regional scale: 460 k -> about a third).
  select codice_istat, count(*) as utenti_nuovi_periodo
  from (
    select codice_istat, cf, min(inizio) as primo, min(ps) as ps, min(e) as e
    from mem_e
    where not esclusa and inizio <= e
    group by codice_istat, cf
  ) p
  where primo between ps and e
  group by codice_istat
),
m_senza as (
  -- People served without a cartella in [Ps, E] who have no membership of the comune overlapping it.
  select p.codice_istat, count(distinct p.codice_fiscale) as utenti_senza_cartella_periodo
  from prestazioni p
  join giro g on g.codice_istat = p.codice_istat
  where p.id_cartella is null and p.codice_fiscale is not null
    and p.data_erogazione between g.ps and g.e
    and not exists (
      -- mem.e and mem.ps are those of the membership's comune, the comune of p: written with
      -- mem's own columns, the memberships are filtered before they are hashed.
      select 1 from mem_e mem
      where mem.codice_istat = p.codice_istat and mem.cf = p.codice_fiscale
        and mem.inizio <= mem.e and (mem.fine is null or mem.fine >= mem.ps)
    )
  group by p.codice_istat
),
conteggi as (
  select g.*,
         coalesce(mc.cartelle_attive, 0) as cartelle_attive_siz,
         coalesce(mc.cartelle_attive_tutela, 0) as cartelle_attive_tutela_siz,
         coalesce(mk.utenti_in_carico, 0) as utenti_in_carico_siz,
         coalesce(mk.utenti_in_carico_tutela, 0) as utenti_in_carico_tutela_siz,
         coalesce(mc.cartelle_aperte_periodo, 0) as cartelle_aperte_periodo_siz,
         coalesce(mn.utenti_nuovi_periodo, 0) as utenti_nuovi_periodo_siz,
         coalesce(mc.cartelle_chiuse_periodo, 0) as cartelle_chiuse_periodo_siz,
         coalesce(ms.utenti_senza_cartella_periodo, 0) as utenti_senza_cartella_periodo_siz
  from giro g
  left join m_cart mc on mc.codice_istat = g.codice_istat
  left join m_carico mk on mk.codice_istat = g.codice_istat
  left join m_nuovi mn on mn.codice_istat = g.codice_istat
  left join m_senza ms on ms.codice_istat = g.codice_istat
),
digit as (
  -- Group figures: sum(s) / sum(d) over the comuni of the group with a declared value > 0.
  select c.*,
         percentuale_digit(cartelle_attive_siz, cartelle_attive_dich) as digit_tot,
         percentuale_digit(cartelle_attive_tutela_siz, cartelle_attive_tutela_dich) as digit_tutela,
         percentuale_digit(sum(cartelle_attive_siz) filter (where cartelle_attive_dich > 0) over (partition by cluster),
                           sum(cartelle_attive_dich) filter (where cartelle_attive_dich > 0) over (partition by cluster)) as digit_cluster,
         percentuale_digit(sum(cartelle_attive_tutela_siz) filter (where cartelle_attive_tutela_dich > 0) over (partition by cluster),
                           sum(cartelle_attive_tutela_dich) filter (where cartelle_attive_tutela_dich > 0) over (partition by cluster)) as digit_cluster_tutela,
         percentuale_digit(sum(cartelle_attive_siz) filter (where cartelle_attive_dich > 0) over (partition by distretto),
                           sum(cartelle_attive_dich) filter (where cartelle_attive_dich > 0) over (partition by distretto)) as digit_distretto,
         percentuale_digit(sum(cartelle_attive_siz) filter (where cartelle_attive_dich > 0) over (),
                           sum(cartelle_attive_dich) filter (where cartelle_attive_dich > 0) over ()) as digit_ambito,
         -- Exact decimal arithmetic: ceil(80 * 50 / 100) is 40, never 41.
         case when cartelle_attive_dich > 0
              then cast(greatest(0, ceil(cast(:obiettivo as numeric) * cartelle_attive_dich / 100) - cartelle_attive_siz) as integer)
         end as mancanti_obiettivo
  from conteggi c
),
risultato as (
  select d.*,
         d.e as data_conteggio,
         d.ps as periodo_inizio,
         case when d.digit_tot is null then 'senza_censimento'
              when d.digit_tot >= cast(:obiettivo as numeric) then 'raggiunto'
              when d.digit_tot >= cast(:soglia as numeric) then 'in_corso'
              else 'critico' end as stato,
         coalesce(d.digit_tot > 100, false) as sopra_dichiarato,
         sc.data_scadenza as scadenza,
         sc.obiettivo as obiettivo_scadenza
  from digit d
  left join lateral (
    -- The comune's open `caricamento` deadline: the nearest upcoming one, else the latest past one.
    select s.data_scadenza, coalesce(s.obiettivo, cast(:obiettivo as numeric)) as obiettivo
    from scadenze s
    where s.codice_istat = d.codice_istat and s.tipo = 'caricamento' and not s.chiusa
    order by s.data_scadenza < cast(:oggi as date),
             case when s.data_scadenza >= cast(:oggi as date) then s.data_scadenza end,
             s.data_scadenza desc
    limit 1
  ) sc on true
)
