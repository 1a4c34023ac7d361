-- Registry variations (docs/metriche.md, "Variazioni anagrafiche") and the alarms they raise, for
-- every comune at once, in one transaction (server/variazioni/calcolo.ts). Bindings: :ora
-- (timestamp of the run), :compito (task carried by a death).

-- The snapshots to compare: every snapshot newer than the last one compared for its comune,
-- each with its predecessor (id0/d0 null = the comune's first snapshot: nothing to compare).
-- Moving only forward is what makes re-running and re-importing the same snapshot a no-op.
create temp table var_coppie on commit drop as
select s.codice_istat, s.id as id1, s.data_snapshot as d1, p.id as id0, p.data_snapshot as d0
from anagrafe_snapshot s
left join lateral (
  select x.id, x.data_snapshot from anagrafe_snapshot x
  where x.codice_istat = s.codice_istat and x.data_snapshot < s.data_snapshot
  order by x.data_snapshot desc limit 1
) p on true
where s.data_snapshot > coalesce((select max(c.data_snapshot) from variazioni_confronti c where c.codice_istat = s.codice_istat), cast('-infinity' as date));

insert into variazioni_confronti (codice_istat, data_precedente, data_snapshot, confrontato_il)
select codice_istat, d0, d1, cast(:ora as timestamptz) from var_coppie;

-- Fresh statistics for the planner: the snapshots were just bulk-loaded, and without them the
-- joins below are planned for a few rows (nested loops over a million residents).
analyze anagrafe;

analyze var_coppie;

-- Each person of a comune at T0 and at T1, side by side (one hash full join over the whole
-- ambito); only rows that differ at all reach the type rules (about 1% of them).
-- "Absent at T0" for an immigration includes a row with an end state (someone who comes back);
-- a birth needs no row at all at T0. Residents at T0 missing at T1 without an end state have
-- emigrated (a move to another comune of the ambito is an immigration in that comune's own
-- comparison). The address compared is the normalized one (trimmed, upper case, spaces
-- collapsed); a missing address on either side is not a change of address.
insert into variazioni (codice_istat, data_precedente, data_snapshot, codice_fiscale, tipo, cognome, nome, data_nascita,
                        indirizzo_precedente, indirizzo, id_famiglia_precedente, id_famiglia, data_evento, rilevata_il)
select p.codice_istat, p.d0, p.d1, coalesce(b.codice_fiscale, a.codice_fiscale), t.tipo, coalesce(b.cognome, a.cognome), coalesce(b.nome, a.nome), f.nascita,
       a.indirizzo, b.indirizzo, a.id_famiglia, b.id_famiglia, b.data_evento, cast(:ora as timestamptz)
from (select c.id1 as coppia, x.* from var_coppie c join anagrafe x on x.snapshot_id = c.id0) a
full join (select c.id1 as coppia, y.* from var_coppie c join anagrafe y on y.snapshot_id = c.id1 where c.id0 is not null) b
  on b.coppia = a.coppia and b.codice_fiscale = a.codice_fiscale
join var_coppie p on p.id1 = coalesce(b.coppia, a.coppia)
cross join lateral (
  select coalesce(b.data_nascita, b.data_nascita_cf, a.data_nascita, a.data_nascita_cf) as nascita,
         a.codice_fiscale is null and coalesce(b.data_nascita, b.data_nascita_cf) > p.d0 - 30 as nato,
         coalesce(a.stato = 'residente', false) as res0,
         coalesce(b.stato = 'residente', false) as res1
) f
cross join lateral (values
  ('nascita', f.nato),
  ('immigrazione', not f.res0 and f.res1 and not coalesce(f.nato, false)),
  ('decesso', f.res0 and b.stato = 'deceduto'),
  ('emigrazione', f.res0 and (b.codice_fiscale is null or b.stato = 'emigrato')),
  ('cambio_indirizzo', f.res0 and f.res1 and a.indirizzo_norm <> b.indirizzo_norm),
  ('cambio_famiglia', f.res0 and f.res1 and a.id_famiglia <> b.id_famiglia)
) t(tipo, si)
where (a.codice_fiscale is null or b.codice_fiscale is null or a.stato <> b.stato or a.id_famiglia <> b.id_famiglia or a.indirizzo_norm <> b.indirizzo_norm)
  and t.si
on conflict (codice_istat, data_precedente, data_snapshot, codice_fiscale, tipo) do nothing;

-- Matching: a variation concerns a cartella open at T1 when the person, or anyone sharing their
-- household at T0 or at T1, has a membership in it open at T0 or at T1 (docs/metriche.md,
-- "Date di appartenenza"). One alarm per (variation, cartella), for the cartella's operatore.
insert into allarmi (variazione_id, id_cartella, operatore_id, codice_istat, compito, creato_il)
with nuove as (
  select v.id, v.tipo, v.codice_fiscale, v.id_famiglia_precedente, v.id_famiglia, p.id0, p.id1, p.d0, p.d1
  from var_coppie p
  join variazioni v on v.codice_istat = p.codice_istat and v.data_precedente = p.d0 and v.data_snapshot = p.d1
),
persone as (
  select n.id, n.codice_fiscale from nuove n
  union
  select n.id, a.codice_fiscale from nuove n join anagrafe a on a.snapshot_id = n.id0 and a.id_famiglia = n.id_famiglia_precedente
  union
  select n.id, b.codice_fiscale from nuove n join anagrafe b on b.snapshot_id = n.id1 and b.id_famiglia = n.id_famiglia
)
select distinct n.id, c.id_cartella, c.operatore_id, c.codice_istat,
       case when n.tipo = 'decesso' then cast(:compito as text) end, cast(:ora as timestamptz)
from persone x
join nuove n on n.id = x.id
join membri m on m.codice_fiscale = x.codice_fiscale
join cartelle c on c.id_cartella = m.id_cartella
where c.data_apertura <= n.d1 and (c.data_chiusura is null or c.data_chiusura > n.d1)
  and exists (
    select 1 from (values (n.d0), (n.d1)) d(giorno)
    where coalesce(m.data_inizio, c.data_apertura) <= d.giorno
      and (least(m.data_fine, c.data_chiusura) is null or least(m.data_fine, c.data_chiusura) > d.giorno)
  )
on conflict (variazione_id, id_cartella) do nothing;

-- What this run did, per comune: for the job's message and the run log.
select p.codice_istat, p.d0 as data_precedente, p.d1 as data_snapshot,
       (select count(*) from variazioni v where v.codice_istat = p.codice_istat and v.data_precedente = p.d0 and v.data_snapshot = p.d1) as variazioni,
       (select count(*) from allarmi a join variazioni v on v.id = a.variazione_id
         where v.codice_istat = p.codice_istat and v.data_precedente = p.d0 and v.data_snapshot = p.d1) as allarmi
from var_coppie p
order by p.codice_istat, p.d1;
