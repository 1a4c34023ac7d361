-- The demo's history (server/demo/storia.ts): parks in demo_storia_righe what the 24 monthly
-- extracts before today's did not hold yet, or held and lost since. :piano is a JSON list of
-- {codice_istat, tipo, quota, inizio} (server/demo/piano.ts); :seme makes the choice of rows
-- deterministic (an md5 of seed and id, read as a number in [0, 1)). :giorni is the JSON list of
-- the 24 days of the history; from :dq on (the first day with a quality run) the extracts are
-- also dated: a row dated after a day is not in that day's extract, and a closure or an end of
-- membership after it is not written yet. "The month of date X" below is the first month whose
-- day is on or after X (24 = today's import).
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
       to_jsonb(c) || jsonb_build_object('id_cartella', c.id_cartella || 'D',
                                         'data_chiusura', case when c.data_chiusura > cast(:dq as date) then null else c.data_chiusura end)
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

-- Cartelle opened after :dq arrive in the month of their opening.
insert into demo_storia_righe (tabella, chiave, azione, mese, riga)
select 'cartelle', c.id_cartella, 'carica', coalesce((select min(cast(g.i as integer)) - 1 from jsonb_array_elements_text(cast(:giorni as jsonb)) with ordinality as g(d, i) where c.data_apertura <= cast(g.d as date)), 24), to_jsonb(c)
from cartelle c
where c.data_apertura > cast(:dq as date)
on conflict (tabella, chiave) do nothing;

-- The members of both: those of a late cartella arrive with it (or in the month they start, if
-- later); the duplicate has a copy of the original's members (rows numbered after every real one).
insert into demo_storia_righe (tabella, chiave, azione, mese, riga)
select 'membri', cast(m.riga as text), 'carica',
       greatest(d.mese, case when m.data_inizio > cast(:dq as date) then coalesce((select min(cast(g.i as integer)) - 1 from jsonb_array_elements_text(cast(:giorni as jsonb)) with ordinality as g(d, i) where m.data_inizio <= cast(g.d as date)), 24) else 0 end),
       to_jsonb(m)
from membri m
join demo_storia_righe d on d.tabella = 'cartelle' and d.azione = 'carica' and d.chiave = m.id_cartella;

-- Members starting after :dq in a cartella already there arrive in the month they start.
insert into demo_storia_righe (tabella, chiave, azione, mese, riga)
select 'membri', cast(m.riga as text), 'carica', coalesce((select min(cast(g.i as integer)) - 1 from jsonb_array_elements_text(cast(:giorni as jsonb)) with ordinality as g(d, i) where m.data_inizio <= cast(g.d as date)), 24), to_jsonb(m)
from membri m
where m.data_inizio > cast(:dq as date)
on conflict (tabella, chiave) do nothing;

insert into demo_storia_righe (tabella, chiave, azione, mese, riga)
select 'membri', cast(m.riga + r.base as text), 'rimuovi', d.mese,
       to_jsonb(m) || jsonb_build_object('riga', m.riga + r.base, 'id_cartella', d.chiave,
                                         'data_fine', case when m.data_fine > cast(:dq as date) then null else m.data_fine end)
from membri m
join demo_storia_righe d on d.tabella = 'cartelle' and d.azione = 'rimuovi' and d.chiave = m.id_cartella || 'D'
cross join (select coalesce(max(riga), 0) + 1 as base from membri) r;

-- Closures and ends of membership after :dq are written in their month (not before the row
-- itself arrives); until then the row has none.
insert into demo_storia_righe (tabella, chiave, azione, mese, riga)
select 'chiusure', c.id_cartella, 'chiude', greatest(coalesce((select min(cast(g.i as integer)) - 1 from jsonb_array_elements_text(cast(:giorni as jsonb)) with ordinality as g(d, i) where c.data_chiusura <= cast(g.d as date)), 24), coalesce(d.mese, 0)),
       jsonb_build_object('data_chiusura', c.data_chiusura)
from cartelle c
left join demo_storia_righe d on d.tabella = 'cartelle' and d.azione = 'carica' and d.chiave = c.id_cartella
where c.data_chiusura > cast(:dq as date);

insert into demo_storia_righe (tabella, chiave, azione, mese, riga)
select 'fini', cast(m.riga as text), 'chiude', greatest(coalesce((select min(cast(g.i as integer)) - 1 from jsonb_array_elements_text(cast(:giorni as jsonb)) with ordinality as g(d, i) where m.data_fine <= cast(g.d as date)), 24), coalesce(d.mese, 0)),
       jsonb_build_object('data_fine', m.data_fine)
from membri m
left join demo_storia_righe d on d.tabella = 'membri' and d.azione = 'carica' and d.chiave = cast(m.riga as text)
where m.data_fine > cast(:dq as date);

update demo_storia_righe set riga = jsonb_set(riga, '{data_chiusura}', 'null')
where tabella = 'cartelle' and azione = 'carica' and cast(riga ->> 'data_chiusura' as date) > cast(:dq as date);

update demo_storia_righe set riga = jsonb_set(riga, '{data_fine}', 'null')
where tabella = 'membri' and azione = 'carica' and cast(riga ->> 'data_fine' as date) > cast(:dq as date);

update cartelle set data_chiusura = null where data_chiusura > cast(:dq as date);

update membri set data_fine = null where data_fine > cast(:dq as date);

-- Desk contacts and erogazioni after :dq arrive in their month.
insert into demo_storia_righe (tabella, chiave, azione, mese, riga)
select 'accessi', a.id_accesso, 'carica', coalesce((select min(cast(g.i as integer)) - 1 from jsonb_array_elements_text(cast(:giorni as jsonb)) with ordinality as g(d, i) where a.data_accesso <= cast(g.d as date)), 24), to_jsonb(a)
from accessi a
where a.data_accesso > cast(:dq as date);

insert into demo_storia_righe (tabella, chiave, azione, mese, riga)
select 'prestazioni', p.id_prestazione, 'carica', coalesce((select min(cast(g.i as integer)) - 1 from jsonb_array_elements_text(cast(:giorni as jsonb)) with ordinality as g(d, i) where p.data_erogazione <= cast(g.d as date)), 24), to_jsonb(p)
from prestazioni p
where p.data_erogazione > cast(:dq as date);

delete from accessi where id_accesso in (select chiave from demo_storia_righe where tabella = 'accessi');

delete from prestazioni where id_prestazione in (select chiave from demo_storia_righe where tabella = 'prestazioni');

-- Month 0: the late rows leave the tables, the duplicates enter them.
delete from membri where riga in (select cast(chiave as integer) from demo_storia_righe where tabella = 'membri' and azione = 'carica');

delete from cartelle where id_cartella in (select chiave from demo_storia_righe where tabella = 'cartelle' and azione = 'carica');

insert into cartelle select (jsonb_populate_record(cast(null as cartelle), riga)).* from demo_storia_righe where tabella = 'cartelle' and azione = 'rimuovi';

insert into membri select (jsonb_populate_record(cast(null as membri), riga)).* from demo_storia_righe where tabella = 'membri' and azione = 'rimuovi';
