-- Years side by side: the motivi (sportello_motivi.sql) and the problemi without a motivo
-- (sportello_problemi.sql) of every year of [:inizio, :fine], per comune and area utenza at
-- data_accesso, in one pass. The facts store the same rows (server/fatti/calcola.ts).
with a as (
  select cast(extract(year from a.data_accesso) as int) as anno, a.codice_istat,
         area_utenza_al(a.data_nascita, a.data_nascita_cf, a.area_utenza, a.data_accesso) as area,
         a.motivo_accesso, a.problema_riscontrato
  from accessi a
  join comuni c on c.codice_istat = a.codice_istat and c.attivo
  where a.data_accesso between :inizio and :fine
    and (a.motivo_accesso is not null or a.problema_riscontrato is not null)
)
select anno, 'motivi' as lista, codice_istat, area, motivo_accesso as categoria, count(*) as n from a where motivo_accesso is not null group by 1, 3, 4, 5
union all
select anno, 'problemi', codice_istat, area, problema_riscontrato, count(*) from a where problema_riscontrato is not null group by 1, 3, 4, 5
