-- Every deadline with what the board and the reminder job need, in one pass
-- (docs/promemoria.md, "Scadenze"). Bindings: obiettivo = the configured target (default of a
-- deadline without its own), id = one deadline or null for all.
with ultima as (
  select max(id) as id from riconciliazioni where esito = 'ok'
),
cur as (
  select rc.codice_istat, rc.digit_tot, rc.cartelle_attive_siz, rc.cartelle_attive_dich,
         rc.previsione_obiettivo, rc.scadenza as scadenza_riconciliazione, rc.a_rischio,
         rc.previsione_scadenza, rc.previsione_esito,
         r.oggi as data_riconciliazione, r.data_estrazione
  from riconciliazione_comuni rc
  join riconciliazioni r on r.id = rc.riconciliazione_id
  where rc.riconciliazione_id = (select id from ultima)
),
mese_prima as (
  -- The trend: the comune's figure in the latest successful run at least 28 days older than
  -- the latest one.
  select distinct on (rc.codice_istat) rc.codice_istat, rc.digit_tot, r.oggi
  from riconciliazione_comuni rc
  join riconciliazioni r on r.id = rc.riconciliazione_id
  where r.esito = 'ok'
    and r.oggi <= (select max(data_riconciliazione) from cur) - 28
    and rc.digit_tot is not null
  order by rc.codice_istat, r.id desc
),
promemoria as (
  select scadenza_id,
         count(*) filter (where stato = 'inviato') as inviati,
         count(*) filter (where stato in ('in_attesa', 'invio', 'fallito')) as in_coda,
         max(inviato_il) as ultimo_inviato
  from posta
  where tipo = 'promemoria' and scadenza_id is not null
  group by scadenza_id
),
viste as (
  select scadenza_id, count(*) as n, max(registrata_il) as ultima
  from prese_visione
  group by scadenza_id
),
censiti as (
  -- A census deadline is met by a census round of the comune imported after it was created.
  select s.id as scadenza_id, max(c.importato_il) as importato_il
  from scadenze s
  join censimento c on c.codice_istat = s.codice_istat and c.importato_il > s.creata_il
  where s.tipo = 'censimento'
  group by s.id
),
base as (
  select s.*, coalesce(s.obiettivo, cast(:obiettivo as numeric)) as obiettivo_effettivo
  from scadenze s
  where cast(:id as integer) is null or s.id = cast(:id as integer)
)
select s.id, s.codice_istat, c.nome as comune, coalesce(c.email_ufficio, c.email) as email_comune, coalesce(c.attivo, false) as comune_attivo,
       s.tipo, s.data_scadenza, s.obiettivo_effettivo as obiettivo, s.obiettivo is null as obiettivo_predefinito,
       s.descrizione, s.email, s.chiusa, s.completata_il, s.creata_il,
       cur.digit_tot, cur.cartelle_attive_siz as siz, cur.cartelle_attive_dich as dichiarato,
       case when cur.cartelle_attive_dich > 0
            then greatest(0, ceil(s.obiettivo_effettivo * cur.cartelle_attive_dich / 100) - cur.cartelle_attive_siz) end as mancanti_obiettivo,
       cur.previsione_obiettivo,
       case when cur.scadenza_riconciliazione = s.data_scadenza then cur.a_rischio end as a_rischio_riconciliazione,
       -- The forecast for this deadline's own target: the reconciliation computes it for the
       -- deadline it uses; for another one, the configured target's forecast when the targets match.
       case when cur.scadenza_riconciliazione = s.data_scadenza then cast(cur.previsione_scadenza as text)
            when s.obiettivo_effettivo = cast(:obiettivo as numeric) then cast(cur.previsione_obiettivo as text) end as previsione_scadenza,
       cur.previsione_esito,
       cur.data_riconciliazione, cur.data_estrazione,
       mp.digit_tot as digit_mese_prima, mp.oggi as data_mese_prima,
       ci.importato_il as censimento_importato_il,
       case s.tipo
         when 'caricamento' then coalesce(cur.digit_tot >= s.obiettivo_effettivo, false)
         when 'censimento' then s.completata_il is not null or ci.importato_il is not null
         else s.completata_il is not null
       end as raggiunta,
       coalesce(p.inviati, 0) as promemoria_inviati,
       coalesce(p.in_coda, 0) as promemoria_in_coda,
       p.ultimo_inviato as ultimo_promemoria,
       coalesce(v.n, 0) as prese_visione,
       v.ultima as ultima_presa_visione
from base s
left join comuni c on c.codice_istat = s.codice_istat
left join cur on cur.codice_istat = s.codice_istat
left join mese_prima mp on mp.codice_istat = s.codice_istat
left join censiti ci on ci.scadenza_id = s.id
left join promemoria p on p.scadenza_id = s.id
left join viste v on v.scadenza_id = s.id
order by s.data_scadenza, c.nome, s.id
