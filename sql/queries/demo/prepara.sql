-- The demo's history (server/demo/storia.ts): parks in demo_storia_righe what the 24 monthly
-- extracts before today's did not hold yet, or held and lost since. :piano is a JSON list of
-- {codice_istat, tipo, quota, inizio} (server/demo/piano.ts); :seme makes the choice of rows
-- deterministic (an md5 of seed and id, read as a number in [0, 1)).
-- "salita": the comune loads its backlog (cartelle opened up to its census reference date) in
-- SIZ month by month: a share `quota` of it arrives in months inizio+1 .. 24, evenly.
insert into demo_storia_righe (tabella, chiave, azione, mese, riga)
select 'cartelle', c.id_cartella, 'carica',
       p.inizio + 1 + cast(floor(x.u / p.quota * (24 - p.inizio)) as integer),
       to_jsonb(c)
from cartelle c
join jsonb_to_recordset(cast(:piano as jsonb)) as p(codice_istat text, tipo text, quota numeric, inizio integer)
  on p.codice_istat = c.codice_istat and p.tipo = 'salita'
cross join lateral (
  select cast(cast(cast('x' || substr(md5(cast(:seme as text) || ':' || c.id_cartella), 1, 7) as bit(28)) as integer) as numeric) / 268435456 as u
) x
where x.u < p.quota
  and c.data_apertura <= (select max(s.data_riferimento) from censimento s where s.codice_istat = c.codice_istat);

-- "calo": the comune once held duplicates of a share `quota` of its cartelle active at the census
-- date (same titolare, another id), deleted month by month in months inizio+1 .. 24.
insert into demo_storia_righe (tabella, chiave, azione, mese, riga)
select 'cartelle', c.id_cartella || 'D', 'rimuovi',
       p.inizio + 1 + cast(floor(x.u / p.quota * (24 - p.inizio)) as integer),
       to_jsonb(c) || jsonb_build_object('id_cartella', c.id_cartella || 'D')
from cartelle c
join jsonb_to_recordset(cast(:piano as jsonb)) as p(codice_istat text, tipo text, quota numeric, inizio integer)
  on p.codice_istat = c.codice_istat and p.tipo = 'calo'
join censimento s on s.codice_istat = c.codice_istat
cross join lateral (
  select cast(cast(cast('x' || substr(md5(cast(:seme as text) || ':' || c.id_cartella), 1, 7) as bit(28)) as integer) as numeric) / 268435456 as u
) x
where x.u < p.quota
  and s.data_riferimento = (select max(s2.data_riferimento) from censimento s2 where s2.codice_istat = c.codice_istat)
  and c.data_apertura <= s.data_riferimento and (c.data_chiusura is null or c.data_chiusura > s.data_riferimento);

-- The members of both: those of a late cartella arrive with it; the duplicate has a copy of the
-- original's members (rows numbered after every real one).
insert into demo_storia_righe (tabella, chiave, azione, mese, riga)
select 'membri', cast(m.riga as text), 'carica', d.mese, to_jsonb(m)
from membri m
join demo_storia_righe d on d.tabella = 'cartelle' and d.azione = 'carica' and d.chiave = m.id_cartella;

insert into demo_storia_righe (tabella, chiave, azione, mese, riga)
select 'membri', cast(m.riga + r.base as text), 'rimuovi', d.mese,
       to_jsonb(m) || jsonb_build_object('riga', m.riga + r.base, 'id_cartella', d.chiave)
from membri m
join demo_storia_righe d on d.tabella = 'cartelle' and d.azione = 'rimuovi' and d.chiave = m.id_cartella || 'D'
cross join (select coalesce(max(riga), 0) + 1 as base from membri) r;

-- Month 0: the late rows leave the tables, the duplicates enter them.
delete from membri where riga in (select cast(chiave as integer) from demo_storia_righe where tabella = 'membri' and azione = 'carica');

delete from cartelle where id_cartella in (select chiave from demo_storia_righe where tabella = 'cartelle' and azione = 'carica');

insert into cartelle select (jsonb_populate_record(cast(null as cartelle), riga)).* from demo_storia_righe where tabella = 'cartelle' and azione = 'rimuovi';

insert into membri select (jsonb_populate_record(cast(null as membri), riga)).* from demo_storia_righe where tabella = 'membri' and azione = 'rimuovi';
