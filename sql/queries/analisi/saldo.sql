-- Opened/closed balance per comune over [:dal, :al] (docs/analisi.md, "Saldo aperte/chiuse"),
-- after cartelle.sql. On the cartelle "buone" (not excluded, coherent dates), for each one
-- exactly one of these paths holds, so aperte_inizio + aperte_periodo - chiuse_periodo =
-- aperte_fine always:
--   aperte_inizio: open at the end of the day before :dal (a < dal and (z empty or z >= dal));
--   aperte_periodo: dal <= a <= al;   chiuse_periodo: dal <= z <= al;
--   aperte_fine: open at :al (a <= al and (z empty or z > al)), docs/metriche.md "aperta alla data".
-- date_incoerenti: incoherent cartelle that could have entered a figure (z <= al); escluse: the
-- meals/transport-only cartelle opened by :al.
select co.codice_istat,
       count(*) filter (where not k.esclusa and not k.incoerente and k.a < cast(:dal as date) and (k.z is null or k.z >= cast(:dal as date))) as aperte_inizio,
       count(*) filter (where not k.esclusa and not k.incoerente and k.a between cast(:dal as date) and cast(:al as date)) as aperte_periodo,
       count(*) filter (where not k.esclusa and not k.incoerente and k.z between cast(:dal as date) and cast(:al as date)) as chiuse_periodo,
       count(*) filter (where not k.esclusa and not k.incoerente and k.a <= cast(:al as date) and (k.z is null or k.z > cast(:al as date))) as aperte_fine,
       count(*) filter (where k.incoerente and k.z <= cast(:al as date)) as date_incoerenti,
       count(*) filter (where k.esclusa and not k.incoerente and k.a <= cast(:al as date)) as escluse
from comuni co
left join cart k on k.codice_istat = co.codice_istat
where co.attivo
group by co.codice_istat
