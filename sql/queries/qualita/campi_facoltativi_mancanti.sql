-- campi_facoltativi_mancanti: per comune of the registry, the share of accessi without
-- motivo_accesso / problema_riscontrato and of cartelle without area_utenza / operatore_id.
-- A warning (not per record, it does not lower the score) when the share is above :soglia %;
-- valore = the percentage. Comuni without accessi (or cartelle) get no finding for them.
-- The counts per table and comune are preparazione.sql's (q_conteggi), then one row per field.
insert into qualita_risultati (esecuzione_id, controllo, gravita, codice_istat, tabella, id_record, chiave, messaggio, valore)
select cast(:esecuzione as integer), 'campi_facoltativi_mancanti', :gravita, q.codice_istat, q.tabella, null,
       q.codice_istat || '/' || q.campo,
       q.descrizione || ': ' || replace(to_char(round(100.0 * q.mancanti / q.totale, 1), 'FM990.0'), '.', ',') || '% ('
         || q.mancanti || ' su ' || q.totale || ')',
       round(100.0 * q.mancanti / q.totale, 2)
from (
  select a.codice_istat, 'accessi' as tabella, a.totale, v.campo, v.descrizione, v.mancanti
  from (
    select codice_istat, righe as totale, senza_motivo, senza_problema from q_conteggi where tabella = 'accessi'
  ) a
  join comuni co on co.codice_istat = a.codice_istat
  cross join lateral (values ('motivo_accesso', 'Accessi senza motivo di accesso', a.senza_motivo),
                             ('problema_riscontrato', 'Accessi senza problema riscontrato', a.senza_problema)) v(campo, descrizione, mancanti)
  union all
  select c.codice_istat, 'cartelle', c.totale, v.campo, v.descrizione, v.mancanti
  from (
    select codice_istat, righe as totale, senza_area, senza_operatore from q_conteggi where tabella = 'cartelle'
  ) c
  join comuni co on co.codice_istat = c.codice_istat
  cross join lateral (values ('area_utenza', 'Cartelle senza area utenza', c.senza_area),
                             ('operatore_id', 'Cartelle senza operatore', c.senza_operatore)) v(campo, descrizione, mancanti)
) q
where 100.0 * q.mancanti / q.totale > cast(:soglia as numeric);
