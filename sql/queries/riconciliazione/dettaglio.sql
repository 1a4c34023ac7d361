-- Continues contesto.sql (called with :comune set): the records behind one census metric of
-- one comune, counted or not, with the reason in Italian. Parameter :metrica.
, motivo_cartella as (
  select k.*,
         case when k.esclusa then 'solo erogazioni di pasti a domicilio o trasporti fino al ' || to_char(k.e, 'DD/MM/YYYY')
              when k.data_apertura > k.e then 'aperta il ' || to_char(k.data_apertura, 'DD/MM/YYYY') || ', dopo la data di riferimento'
              when k.data_chiusura <= k.e then 'chiusa il ' || to_char(k.data_chiusura, 'DD/MM/YYYY') || ', non più aperta alla data di riferimento'
         end as non_attiva,
         case when k.esclusa then 'solo erogazioni di pasti a domicilio o trasporti fino al ' || to_char(k.e, 'DD/MM/YYYY')
              else 'aperta il ' || to_char(k.data_apertura, 'DD/MM/YYYY') || ', fuori dal periodo'
         end as non_aperta_periodo,
         case when k.esclusa then 'solo erogazioni di pasti a domicilio o trasporti fino al ' || to_char(k.e, 'DD/MM/YYYY')
              when k.data_chiusura is null then 'non chiusa'
              else 'chiusa il ' || to_char(k.data_chiusura, 'DD/MM/YYYY') || ', fuori dal periodo'
         end as non_chiusa_periodo
  from cart k
),
motivo_membro as (
  select m.*,
         m.attiva and m.inizio <= m.e and (m.fine is null or m.fine > m.e) as in_carico,
         case when m.esclusa then 'cartella ' || m.id_cartella || ' con sole erogazioni di pasti a domicilio o trasporti'
              when not m.attiva then 'cartella ' || m.id_cartella || ' non aperta alla data di riferimento'
              when m.inizio > m.e then 'nella cartella ' || m.id_cartella || ' dal ' || to_char(m.inizio, 'DD/MM/YYYY') || ', dopo la data di riferimento'
              else 'nella cartella ' || m.id_cartella || ' fino al ' || to_char(m.fine, 'DD/MM/YYYY')
         end as perche_no
  from mem m
),
persone_carico as (
  select 'utenti_in_carico' as metrica, cf, bool_or(in_carico) as contato,
         string_agg(perche_no, '; ' order by id_cartella) filter (where not in_carico) as motivo
  from motivo_membro group by cf
  union all
  select 'utenti_in_carico_tutela', cf, bool_or(in_carico),
         string_agg(perche_no, '; ' order by id_cartella) filter (where not in_carico)
  from motivo_membro where tutela_minori group by cf
),
primo_inizio as (
  select cf, min(inizio) filter (where not esclusa) as primo, min(ps) as ps, min(e) as e
  from mem group by cf
),
senza as (
  select p.codice_fiscale as cf,
         string_agg(distinct m.id_cartella, ', ') as coperto_da
  from prestazioni p
  join giro g on g.codice_istat = p.codice_istat
  left join mem m on m.codice_istat = p.codice_istat and m.cf = p.codice_fiscale
                 and m.inizio <= g.e and (m.fine is null or m.fine >= g.ps)
  where p.id_cartella is null and p.codice_fiscale is not null and p.data_erogazione between g.ps and g.e
  group by p.codice_fiscale
),
dettaglio as (
  select 'cartelle_attive' as metrica, id_cartella as id, attiva as contato, non_attiva as motivo from motivo_cartella
  union all
  select 'cartelle_attive_tutela', id_cartella, attiva, non_attiva from motivo_cartella where tutela_minori
  union all
  select 'cartelle_aperte_periodo', id_cartella, not esclusa and data_apertura between ps and e, non_aperta_periodo from motivo_cartella
  union all
  select 'cartelle_chiuse_periodo', id_cartella, not esclusa and coalesce(data_chiusura between ps and e, false), non_chiusa_periodo from motivo_cartella
  union all
  select metrica, cf, contato, motivo from persone_carico
  union all
  select 'utenti_nuovi_periodo', cf, coalesce(primo between ps and e, false),
         case when primo is null then 'solo in cartelle con sole erogazioni di pasti a domicilio o trasporti'
              when primo < ps then 'in carico dal ' || to_char(primo, 'DD/MM/YYYY') || ', prima dell''inizio del periodo'
              else 'in carico dal ' || to_char(primo, 'DD/MM/YYYY') || ', dopo la data di riferimento' end
  from primo_inizio
  union all
  select 'utenti_senza_cartella_periodo', cf, coperto_da is null,
         'in carico nel periodo nella cartella ' || coperto_da
  from senza
)
select id, contato, case when contato then null else motivo end as motivo
from dettaglio
where metrica = cast(:metrica as text)
order by id
