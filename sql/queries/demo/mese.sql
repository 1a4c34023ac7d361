-- One month of the demo's history (server/demo/storia.ts): the extract of month :mese holds the
-- rows parked for it ('carica', with the closures and ends written in it) and no longer the ones
-- removed in it ('rimuovi'); then they are
-- forgotten, so after month 24 demo_storia_righe is empty and the tables are today's import.
insert into cartelle select (jsonb_populate_record(cast(null as cartelle), riga)).*
from demo_storia_righe where tabella = 'cartelle' and azione = 'carica' and mese = cast(:mese as integer);

insert into membri select (jsonb_populate_record(cast(null as membri), riga)).*
from demo_storia_righe where tabella = 'membri' and azione = 'carica' and mese = cast(:mese as integer);

insert into accessi select (jsonb_populate_record(cast(null as accessi), riga)).*
from demo_storia_righe where tabella = 'accessi' and mese = cast(:mese as integer);

insert into prestazioni select (jsonb_populate_record(cast(null as prestazioni), riga)).*
from demo_storia_righe where tabella = 'prestazioni' and mese = cast(:mese as integer);

update cartelle c set data_chiusura = cast(d.riga ->> 'data_chiusura' as date)
from demo_storia_righe d
where d.tabella = 'chiusure' and d.mese = cast(:mese as integer) and d.chiave = c.id_cartella;

update membri m set data_fine = cast(d.riga ->> 'data_fine' as date)
from demo_storia_righe d
where d.tabella = 'fini' and d.mese = cast(:mese as integer) and d.chiave = cast(m.riga as text);

delete from membri where riga in (
  select cast(chiave as integer) from demo_storia_righe where tabella = 'membri' and azione = 'rimuovi' and mese = cast(:mese as integer));

delete from cartelle where id_cartella in (
  select chiave from demo_storia_righe where tabella = 'cartelle' and azione = 'rimuovi' and mese = cast(:mese as integer));

delete from demo_storia_righe where mese = cast(:mese as integer);
