-- Facts of sociali, people, one year (:anno, :inizio, :fine; :giorno stored beside): exactly the
-- rows of sql/queries/cruscotto/sociali_persone.sql (the rules are there), read from the members
-- joined once (fatti_membri, sql/queries/fatti/sociali_membri.sql). A person is counted once per
-- comune with the least area of their qualifying memberships: a person with one membership in
-- the comune (`unico`) is that membership, counted straight into (comune, area); only the others
-- are grouped per person first. Grouping every person each year was half of the step (a hash of
-- ~350 k groups per year at the regional scale, docs/fatti.md).
-- `m` keeps the rows of either measure (start by :fine, and opened by :fine or overlapping the
-- year), with the area at :fine computed once per row: the rule of area_utenza_al (migration
-- 20261203001400_eta_esatta) on 31 December of :anno, the day :fine always is in the facts
-- (server/fatti/calcola.ts). That day every birthday of the year has been reached, so the age
-- (eta_anni) is :anno minus the birth year; a birth date decoded from the CF that is after the
-- day is moved back 100 years, that is a CF birth year after :anno. No birth date: the
-- cartella's area.
with m as materialized (
  select codice_istat, codice_fiscale, unico, inizio, fine, data_apertura,
         case when anno_nascita is null then coalesce(area_utenza, 'non_indicata')
              when cast(:anno as integer) - (anno_nascita - case when nascita_da_cf and anno_nascita > cast(:anno as integer) then 100 else 0 end) < 18 then 'minori'
              when cast(:anno as integer) - (anno_nascita - case when nascita_da_cf and anno_nascita > cast(:anno as integer) then 100 else 0 end) >= 65 then 'anziani'
              else 'adulti'
         end as area
  from fatti_membri
  where inizio <= :fine and (data_apertura <= :fine or fine is null or fine >= :inizio)
),
prese as (
  select codice_istat, area from m
  where data_apertura <= :fine and inizio <= :fine and unico
  union all
  select codice_istat, min(area) from m
  where data_apertura <= :fine and inizio <= :fine and not unico
  group by codice_istat, codice_fiscale
),
beneficiari as (
  select codice_istat, area from m
  where inizio <= :fine and (fine is null or fine >= :inizio) and unico
  union all
  select codice_istat, min(area) from m
  where inizio <= :fine and (fine is null or fine >= :inizio) and not unico
  group by codice_istat, codice_fiscale
)
insert into fatti_sociali (anno, giorno, misura, codice_istat, area, n)
select cast(:anno as integer), cast(:giorno as date), 'prese_in_carico', codice_istat, area, count(*) from prese group by codice_istat, area
union all
select cast(:anno as integer), cast(:giorno as date), 'beneficiari_anno', codice_istat, area, count(*) from beneficiari group by codice_istat, area
