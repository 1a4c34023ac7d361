-- Facts of the breakdowns (server/fatti; docs/analisi.md, "Ripartizioni"): after the head
-- sql/queries/analisi/ripartizioni_righe.sql over every active comune (:comuni null) and every
-- year of [:dal, :al], in one pass, what sql/queries/analisi/ripartizioni.sql gives for a whole
-- year of each comune and of the whole ambito (codice_istat null), the year as a column.
-- Accessi add up over the comuni (the ambito's are the comuni's summed); people do not (a person
-- may go to two comuni, and their category is that of their latest accesso in the selection):
-- they are counted per comune and per ambito, each with the rule of ripartizioni.sql.
-- persone: distinct people per punto; per sesso, band and country those whose latest accesso
-- is in the category (0 where none). A person's latest accesso in the ambito is the latest of
-- their latest in each comune (id_accesso is unique): taken from persone_comune, a shorter sort
-- than over every accesso (about 10% of this step at the regional scale).
-- The groups (comune, CF) are sorted byte by byte (collate "C"): only which rows are equal
-- matters to them, and equality is the same in every deterministic collation; the order inside
-- a group (date, then id_accesso) keeps the database's, as the page's query. With the
-- database's collation (C.UTF-8 or a language's) each comparison went through strcoll, and
-- these two sorts were a third of the step (docs/fatti.md, «Misure»).
-- The per-comune counts of the accessi by punto, sesso, fascia and nascita are one pass over
-- `righe` with grouping sets (one hash table per dimension), and so are the people's by sesso,
-- fascia and nascita over `persone_comune`: the dimension is the one grouping() says is grouped
-- (a separate query per dimension read the 1.4 M rows four times; ~1.5 CPU s of ~19 at the
-- regional scale, docs/fatti.md).
, persone_comune as (
  select distinct on (anno, codice_istat collate "C", cf collate "C") anno, codice_istat, cf, data_accesso, id_accesso, sesso, fascia, nascita
  from righe
  where cf is not null
  order by anno, codice_istat collate "C", cf collate "C", data_accesso desc, id_accesso desc
),
persone_ambito as (
  select distinct on (anno, cf collate "C") anno, sesso, fascia, nascita
  from persone_comune
  order by anno, cf collate "C", data_accesso desc, id_accesso desc
),
punti_persone as (
  select distinct anno, codice_istat, punto, cf from righe where cf is not null
),
conti_comune as (
  select anno, codice_istat,
         case when grouping(punto) = 0 then 'punto' when grouping(sesso) = 0 then 'sesso' when grouping(fascia) = 0 then 'fascia' else 'nascita' end as dim,
         case when grouping(punto) = 0 then punto when grouping(sesso) = 0 then coalesce(sesso, '') when grouping(fascia) = 0 then coalesce(fascia, '') else coalesce(nascita, '') end as cat,
         count(*) as accessi, 0 as persone
  from righe
  group by grouping sets ((anno, codice_istat, punto), (anno, codice_istat, sesso), (anno, codice_istat, fascia), (anno, codice_istat, nascita))
  union all
  select anno, codice_istat, 'punto', punto, 0, count(*) from punti_persone group by anno, codice_istat, punto
  union all
  select anno, codice_istat,
         case when grouping(sesso) = 0 then 'sesso' when grouping(fascia) = 0 then 'fascia' else 'nascita' end,
         case when grouping(sesso) = 0 then coalesce(sesso, '') when grouping(fascia) = 0 then coalesce(fascia, '') else coalesce(nascita, '') end,
         0, count(*)
  from persone_comune
  group by grouping sets ((anno, codice_istat, sesso), (anno, codice_istat, fascia), (anno, codice_istat, nascita))
),
conti as (
  select anno, codice_istat, dim, cat, accessi, persone from conti_comune
  union all
  select anno, cast(null as text), dim, cat, sum(accessi), 0 from conti_comune group by anno, dim, cat
  union all
  select anno, cast(null as text), 'punto', punto, 0, count(*) from (select distinct anno, punto, cf from punti_persone) u group by anno, punto
  union all
  select anno, cast(null as text), 'sesso', coalesce(sesso, ''), 0, count(*) from persone_ambito group by anno, sesso
  union all
  select anno, cast(null as text), 'fascia', coalesce(fascia, ''), 0, count(*) from persone_ambito group by anno, fascia
  union all
  select anno, cast(null as text), 'nascita', coalesce(nascita, ''), 0, count(*) from persone_ambito group by anno, nascita
)
insert into fatti_ripartizioni (anno, codice_istat, dim, cat, accessi, persone)
select anno, codice_istat, dim, cat, sum(accessi), sum(persone)
from conti
group by anno, codice_istat, dim, cat
