/**
 * Age groups at the 18th and 65th birthday (issue 14, docs/metriche.md "Area utenza
 * (fasce d'età)"): the day before, the day itself and the day after, for persone (sociali), accessi
 * (sportello, mese) and erogazioni (economici, mese, top prestazioni). A birthday is reached on
 * the day itself; 29 February is reached on 1 March in a non-leap year (docs/metriche.md).
 *
 *   Lodi (18th): p18 born 2008-01-01 (day before = 2025-12-31), born 2007-12-31 (the day at
 *                31 December 2025), born 2007-12-30 (the day after).
 *   Brembio (65th): p65 born 1961-01-01, 1960-12-31, 1960-12-30, the same way; their birth date
 *                comes from the CF only (no data_nascita), the other path of area_utenza_al.
 *   Sant'Angelo: p29 born 2008-02-29; 2026 is not a leap year.
 * Accessi and erogazioni of p18 and p65: 2025-12-31 (day before), 2026-01-01 (day), 2026-01-02
 * (day after); of p29: 2026-02-28 (minori) and 2026-03-01 (adulti).
 */
import { describeDb } from '../support/db';
import type { Database } from '../../server/db';
import { birthDateFromCf, buildCf } from '../../server/shared/cf';
import { seedComuni } from '../support/fixtures';
import { leggiSociali } from '../../server/cruscotto/sociali';
import { leggiSportello } from '../../server/cruscotto/sportello';
import { leggiEconomici } from '../../server/cruscotto/economici';
import { leggiMese } from '../../server/cruscotto/mese';

const LODI = '098031';
const BREMBIO = '098010';
const SANTANGELO = '098047';
const cf = (nome: string, nascita: string) => buildCf('TST', nome, nascita, 'M', 'E648');
const P18 = ['2008-01-01', '2007-12-31', '2007-12-30'].map((n, i) => ({ cf: cf(`AA${'ABC'[i]}`, n), nascita: n }));
const P65 = ['1961-01-01', '1960-12-31', '1960-12-30'].map((n, i) => ({ cf: cf(`BB${'ABC'[i]}`, n), nascita: n }));
const P29 = { cf: cf('CCA', '2008-02-29'), nascita: '2008-02-29' };

let riga = 1;
async function carica(db: Database): Promise<void> {
  await seedComuni(db);
  const cart = (id: string, istat: string) => ({ id_cartella: id, codice_istat: istat, data_apertura: '2020-01-01', data_chiusura: null, area_utenza: 'adulti', tutela_minori: false, operatore_id: null, riga: riga++ });
  await db.knex('cartelle').insert([cart('C18', LODI), cart('C65', BREMBIO), cart('C29', SANTANGELO)]);
  // p18 and p29 carry data_nascita; p65 only the date decoded from the CF.
  const mem = (id: string, p: { cf: string; nascita: string }, propria: boolean) => ({ riga: riga++, id_cartella: id, codice_fiscale: p.cf, cf_valido: true, ruolo: null, data_inizio: null, data_fine: null, data_nascita: propria ? p.nascita : null, data_nascita_cf: birthDateFromCf(p.cf, '2026-11-21') });
  await db.knex('membri').insert([...P18.map((p) => mem('C18', p, true)), ...P65.map((p) => mem('C65', p, false)), mem('C29', P29, true)]);
  const acc = (id: string, p: { cf: string; nascita: string }, istat: string, data: string, propria: boolean) => ({
    id_accesso: id, codice_fiscale: p.cf, cf_valido: true, codice_istat: istat, data_accesso: data,
    data_nascita: propria ? p.nascita : null, data_nascita_cf: birthDateFromCf(p.cf, '2026-11-21'),
    area_utenza: 'adulti', motivo_accesso: 'CASA', problema_riscontrato: null, punto_accesso: null, riga: riga++,
  });
  const pre = (id: string, p: { cf: string }, istat: string, cartella: string, data: string) => ({
    id_prestazione: id, id_cartella: cartella, codice_fiscale: p.cf, cf_valido: true, codice_istat: istat, codice_prestazione: 'A1.04', descrizione: null,
    data_erogazione: data, costo: 10, quota_comune: 10, quota_comune_indicata: true, recupero_assistito: 0, recupero_famiglia: 0, recupero_altri_enti: 0, recupero_altri: 0, riga: riga++,
  });
  const giorni = ['2025-12-31', '2026-01-01', '2026-01-02'];
  await db.knex('accessi').insert([
    ...giorni.map((g, i) => acc(`A18-${i}`, P18[0], LODI, g, true)),
    ...giorni.map((g, i) => acc(`A65-${i}`, P65[0], BREMBIO, g, false)),
    acc('A29-0', P29, SANTANGELO, '2026-02-28', true),
    acc('A29-1', P29, SANTANGELO, '2026-03-01', true),
  ]);
  await db.knex('prestazioni').insert([
    ...giorni.map((g, i) => pre(`P18-${i}`, P18[0], LODI, 'C18', g)),
    ...giorni.map((g, i) => pre(`P65-${i}`, P65[0], BREMBIO, 'C65', g)),
    pre('P29-0', P29, SANTANGELO, 'C29', '2026-02-28'),
    pre('P29-1', P29, SANTANGELO, 'C29', '2026-03-01'),
  ]);
}

const oggetto = (m: Map<string, number> | undefined) => Object.fromEntries([...(m ?? new Map<string, number>())].filter(([, n]) => n > 0));

describeDb("cruscotto: le fasce d'età al compleanno", (get) => {
  beforeAll(async () => carica(get()));

  test('persone (sociali) al 31 dicembre 2025: il giorno prima, il giorno e il giorno dopo il 18° e il 65° compleanno', async () => {
    const prese = (await leggiSociali(get(), 2025, '2026-11-22')).misure.get('prese_in_carico')!;
    // Born 2008-01-01 is 17 on 31 December 2025 (minori); born on 31 and 30 December 2007 is 18.
    expect(oggetto(prese.get(LODI))).toEqual({ minori: 1, adulti: 2 });
    // Born 1961-01-01 is 64 (adulti); born 31 and 30 December 1960 is 65 (anziani).
    expect(oggetto(prese.get(BREMBIO))).toEqual({ adulti: 1, anziani: 2 });
    // 29 February 2008 is 17 on 31 December 2025.
    expect(oggetto(prese.get(SANTANGELO))).toEqual({ minori: 1 });
    const beneficiari = (await leggiSociali(get(), 2025, '2026-11-22')).misure.get('beneficiari_anno')!;
    expect(oggetto(beneficiari.get(LODI))).toEqual({ minori: 1, adulti: 2 });
    expect(oggetto(beneficiari.get(BREMBIO))).toEqual({ adulti: 1, anziani: 2 });
  });

  test('accessi (sportello): il giorno prima conta nella fascia precedente, il giorno stesso e il dopo nella nuova', async () => {
    const a2025 = (await leggiSportello(get(), 2025, null)).aree;
    expect(a2025.get(LODI)?.get('minori')?.accessi).toBe(1);
    expect(a2025.get(LODI)?.get('adulti')).toBeUndefined();
    expect(a2025.get(BREMBIO)?.get('adulti')?.accessi).toBe(1);
    expect(a2025.get(BREMBIO)?.get('anziani')).toBeUndefined();
    const a2026 = (await leggiSportello(get(), 2026, null)).aree;
    expect(a2026.get(LODI)?.get('adulti')?.accessi).toBe(2);
    expect(a2026.get(LODI)?.get('minori')).toBeUndefined();
    expect(a2026.get(BREMBIO)?.get('anziani')?.accessi).toBe(2);
    expect(a2026.get(BREMBIO)?.get('adulti')).toBeUndefined();
    // 29 February: still 17 on 28 February 2026, 18 on 1 March.
    expect(a2026.get(SANTANGELO)?.get('minori')?.accessi).toBe(1);
    expect(a2026.get(SANTANGELO)?.get('adulti')?.accessi).toBe(1);
  });

  test('accessi, per area scelta: motivi e problemi seguono la stessa fascia', async () => {
    const s = await leggiSportello(get(), 2025, null);
    expect(oggetto(s.motivi.get(LODI)?.get('CASA'))).toEqual({ minori: 1 });
    expect(oggetto(s.motivi.get(BREMBIO)?.get('CASA'))).toEqual({ adulti: 1 });
  });

  test('erogazioni (economici): fascia del beneficiario alla data di erogazione', async () => {
    const e2025 = (await leggiEconomici(get(), 2025)).righe;
    expect([...e2025.get(LODI)!.get('A1.04')!.keys()]).toEqual(['minori']);
    expect([...e2025.get(BREMBIO)!.get('A1.04')!.keys()]).toEqual(['adulti']);
    const e2026 = (await leggiEconomici(get(), 2026)).righe;
    expect(e2026.get(LODI)!.get('A1.04')!.get('adulti')!.n).toBe(2);
    expect(e2026.get(LODI)!.get('A1.04')!.get('minori')).toBeUndefined();
    expect(e2026.get(BREMBIO)!.get('A1.04')!.get('anziani')!.n).toBe(2);
    expect(e2026.get(BREMBIO)!.get('A1.04')!.get('adulti')).toBeUndefined();
    expect(e2026.get(SANTANGELO)!.get('A1.04')!.get('minori')!.n).toBe(1);
    expect(e2026.get(SANTANGELO)!.get('A1.04')!.get('adulti')!.n).toBe(1);
  });

  test('mese gennaio 2026: accessi ed erogazioni del mese e di dicembre, e le prestazioni più frequenti', async () => {
    const m = await leggiMese(get(), '2026-01');
    expect(oggetto(m.misure.get('accessi_prec')?.get(LODI))).toEqual({ minori: 1 });
    expect(oggetto(m.misure.get('accessi_mese')?.get(LODI))).toEqual({ adulti: 2 });
    expect(oggetto(m.misure.get('accessi_prec')?.get(BREMBIO))).toEqual({ adulti: 1 });
    expect(oggetto(m.misure.get('accessi_mese')?.get(BREMBIO))).toEqual({ anziani: 2 });
    expect(oggetto(m.misure.get('erogazioni_prec')?.get(LODI))).toEqual({ minori: 1 });
    expect(oggetto(m.misure.get('erogazioni_mese')?.get(LODI))).toEqual({ adulti: 2 });
    expect(oggetto(m.misure.get('erogazioni_prec')?.get(BREMBIO))).toEqual({ adulti: 1 });
    expect(oggetto(m.misure.get('erogazioni_mese')?.get(BREMBIO))).toEqual({ anziani: 2 });
    expect(oggetto(m.liste.get('prestazioni')?.get(LODI)?.get('A1.04'))).toEqual({ adulti: 2 });
    expect(oggetto(m.liste.get('motivi')?.get(BREMBIO)?.get('CASA'))).toEqual({ anziani: 2 });
    const dic = await leggiMese(get(), '2025-12');
    expect(oggetto(dic.liste.get('prestazioni')?.get(LODI)?.get('A1.04'))).toEqual({ minori: 1 });
    expect(oggetto(dic.liste.get('motivi')?.get(BREMBIO)?.get('CASA'))).toEqual({ adulti: 1 });
    const mar = await leggiMese(get(), '2026-03');
    expect(oggetto(mar.misure.get('accessi_prec')?.get(SANTANGELO))).toEqual({ minori: 1 });
    expect(oggetto(mar.misure.get('accessi_mese')?.get(SANTANGELO))).toEqual({ adulti: 1 });
  });

  test('eta_anni: il compleanno è il giorno stesso; il 29 febbraio vale il 1° marzo negli anni non bisestili', async () => {
    const eta = async (n: string, d: string) => Number((await get().knex.raw('select eta_anni(cast(? as date), cast(? as date)) as e', [n, d])).rows[0].e);
    expect([await eta('2008-01-01', '2025-12-31'), await eta('2008-01-01', '2026-01-01'), await eta('2008-01-01', '2026-01-02')]).toEqual([17, 18, 18]);
    expect([await eta('2008-02-29', '2026-02-28'), await eta('2008-02-29', '2026-03-01'), await eta('2008-02-29', '2028-02-29'), await eta('2008-02-29', '2028-02-28')]).toEqual([17, 18, 20, 19]);
    expect([await eta('1961-03-31', '2026-03-30'), await eta('1961-03-31', '2026-03-31')]).toEqual([64, 65]);
  });
});
