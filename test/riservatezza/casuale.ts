/**
 * A randomized ambito for the disclosure audit: many small comuni with 0 to 5 cases each (the
 * hardest case for suppression), a year and the December before, deterministic from a seed.
 */
import type { Database } from '../../server/db';
import { birthDateFromCf } from '../../server/shared/cf';
import { normalizeName } from '../../server/importazione/valori';
import { buildCf } from '../../server/shared/cf';

export async function caricaCasuale(db: Database, seme: number, nComuni = 8): Promise<void> {
  let s = seme;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const tra = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
  const scegli = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const popolazioni = [400, 900, 1800, 2600, 4500, 7000, 15000, 30000, 1200, 3300, 600, 5200];
  const comuni = Array.from({ length: nComuni }, (_, i) => ({ codice_istat: `0990${String(10 + i).padStart(2, '0')}`, nome: `Comune ${String.fromCharCode(65 + i)}`, popolazione: popolazioni[i % popolazioni.length], distretto: i % 3 === 0 ? 'Nord' : 'Sud' }));
  await db.knex('comuni').insert(comuni.map((c) => ({ ...c, nome_norm: normalizeName(c.nome) })));
  // A pool of people: adults, minors and elders, so every area appears.
  const lettera = (i: number) => String.fromCharCode(66 + (i % 20));
  const persone = Array.from({ length: 30 }, (_, i) => buildCf(`R${lettera(i)}S`, `M${lettera(i + 7)}R`, scegli(['1950-03-02', '1978-06-15', '1990-11-30', '2012-01-20', '2019-09-09', '1938-12-31']), i % 2 ? 'M' : 'F', 'E648'));
  const validi = persone.map((cf) => ({ cf, nascita: birthDateFromCf(cf, '2026-11-21') })).filter((p) => p.nascita);
  const giorno = (anno: number, mese: number) => `${anno}-${String(mese).padStart(2, '0')}-${String(tra(1, 28)).padStart(2, '0')}`;
  const data = () => (rnd() < 0.15 ? giorno(2025, 12) : giorno(2026, tra(1, 10)));
  let riga = 1;
  let id = 1;
  const accessi = [];
  const cartelle = [];
  const membri = [];
  const prestazioni = [];
  for (const c of comuni) {
    for (let k = tra(0, 5); k > 0; k--) {
      const p = scegli(validi);
      accessi.push({ id_accesso: `A${id++}`, codice_fiscale: p.cf, cf_valido: true, codice_istat: c.codice_istat, data_accesso: data(), data_nascita: null, data_nascita_cf: p.nascita, area_utenza: null, motivo_accesso: scegli(['LAVORO', 'CASA', 'SALUTE', null]), problema_riscontrato: scegli(['DISOCCUPAZIONE', 'DISAGIO', null]), punto_accesso: null, riga: riga++ });
    }
    for (let k = tra(0, 4); k > 0; k--) {
      const idc = `C${id++}`;
      const apertura = rnd() < 0.5 ? data() : `20${tra(18, 24)}-0${tra(1, 9)}-15`;
      cartelle.push({ id_cartella: idc, codice_istat: c.codice_istat, data_apertura: apertura, data_chiusura: rnd() < 0.3 ? giorno(2026, 10) : null, area_utenza: scegli(['minori', 'adulti', 'anziani', null]), tutela_minori: false, operatore_id: null, riga: riga++ });
      for (let m = tra(1, 2); m > 0; m--) {
        const p = scegli(validi);
        membri.push({ riga: riga++, id_cartella: idc, codice_fiscale: p.cf, cf_valido: true, ruolo: null, data_inizio: null, data_fine: null, data_nascita: null, data_nascita_cf: p.nascita });
      }
    }
    for (let k = tra(0, 5); k > 0; k--) {
      const p = scegli(validi);
      const costo = tra(10, 400);
      const quota = Math.min(costo, tra(0, 400));
      prestazioni.push({ id_prestazione: `P${id++}`, id_cartella: null, codice_fiscale: p.cf, cf_valido: true, codice_istat: c.codice_istat, codice_prestazione: scegli(['A1.04', 'B2.01', 'C3.02']), descrizione: null, data_erogazione: data(), costo, quota_comune: quota, quota_comune_indicata: true, recupero_assistito: costo - quota, recupero_famiglia: 0, recupero_altri_enti: 0, recupero_altri: 0, riga: riga++ });
    }
  }
  if (accessi.length) await db.knex('accessi').insert(accessi);
  if (cartelle.length) await db.knex('cartelle').insert(cartelle);
  if (membri.length) await db.knex('membri').insert(membri);
  if (prestazioni.length) await db.knex('prestazioni').insert(prestazioni);
  await db.knex('nomenclatore').insert({ codice: 'A1.04', descrizione: 'Contributi economici a integrazione del reddito', macro_area: null, pasti_trasporti: false });
  await db.knex('siz_tabelle').insert({ tabella: 'cartelle', checksum: 'x', righe: cartelle.length, importazione_id: 1, data_estrazione: '2026-11-21' });
}
