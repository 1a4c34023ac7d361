-- Economici (docs/metriche.md, "Cifre del cruscotto"): erogazioni with data_erogazione in [:inizio,
-- :fine] per comune, codice_prestazione and area utenza of the beneficiary at data_erogazione. The
-- birth date comes from the person's member rows in SIZ (by codice fiscale), else from the row's
-- own valid CF (prestazioni.data_nascita_cf), else the area of the linked cartella, else
-- non_indicata. Amounts as imported (quota_comune already defaulted to costo - recuperi at import).
with nascite as (
  select codice_fiscale, min(data_nascita) as dn, min(data_nascita_cf) as dncf
  from membri
  group by 1
)
select p.codice_istat, p.codice_prestazione,
       area_utenza_al(n.dn, coalesce(n.dncf, p.data_nascita_cf), k.area_utenza, p.data_erogazione) as area,
       count(*) as n,
       sum(p.costo) as costo,
       sum(p.quota_comune) as quota_comune,
       sum(p.recupero_assistito) as recupero_assistito,
       sum(p.recupero_famiglia) as recupero_famiglia,
       sum(p.recupero_altri_enti) as recupero_altri_enti,
       sum(p.recupero_altri) as recupero_altri
from prestazioni p
join comuni c on c.codice_istat = p.codice_istat and c.attivo
left join nascite n on n.codice_fiscale = p.codice_fiscale
left join cartelle k on k.id_cartella = p.id_cartella
where p.data_erogazione between :inizio and :fine
group by 1, 2, 3
