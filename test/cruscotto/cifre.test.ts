/**
 * The figures of the sportello / sociali / economici / mese pages on the hand-made ambito of
 * test/cruscotto/dati.ts, computed by hand from docs/metriche.md (both engines). The UdP sees them
 * as they are; the account of another comune sees the small ones suppressed.
 */
import { describeDb } from '../support/db';
import { caricaContesto, Contesto } from '../../server/cruscotto/contesto';
import { parseFiltri, Pagina } from '../../server/cruscotto/filtri';
import type { Visibilita } from '../../server/cruscotto/nodi';
import type { Documento } from '../../server/cruscotto/documento';
import { documentoSportello, leggiSportello } from '../../server/cruscotto/sportello';
import { documentoSociali, fascia, leggiSociali } from '../../server/cruscotto/sociali';
import { documentoEconomici, leggiEconomici } from '../../server/cruscotto/economici';
import { documentoMese, leggiMese, variazione } from '../../server/cruscotto/mese';
import { BREMBIO, caricaDati, LODI, SANTANGELO } from './dati';

const UDP: Visibilita = { udp: true, proprio: null, classe: 'udp' };
const DI_LODI: Visibilita = { udp: false, proprio: LODI, classe: `comune:${LODI}` };

const tabella = (d: Documento, id: string) => d.tabelle.find((t) => t.id === id)!;
const riga = (d: Documento, id: string, campo: string, valore: unknown) => tabella(d, id).righe.find((r) => r[campo] === valore)!;
const sintesi = (d: Documento, chiave: string) => d.sintesi.find((s) => s.chiave === chiave)!.valore;

describeDb('cruscotto: le cifre delle pagine', (get) => {
  let contesto: Contesto;
  const filtri = (pagina: Pagina, q: Record<string, string> = {}) => parseFiltri(q, pagina, contesto, { api: true });

  beforeAll(async () => {
    await caricaDati(get());
    contesto = await caricaContesto(get(), '2026-11-22');
  });

  test('contesto: comuni, cluster, distretti, anni con dati, data dei dati', () => {
    expect(contesto.comuni.map((c) => [c.codice_istat, c.cluster])).toEqual([
      [BREMBIO, 6],
      [LODI, 6],
      [SANTANGELO, 2],
    ]);
    expect(contesto.distretti).toEqual(['Casalpusterlengo', 'Lodi', "Sant'Angelo Lodigiano"]);
    expect(contesto.anni).toEqual([2026, 2025, 2024, 2023, 2022, 2021, 2020]);
    expect(contesto.dati_al).toBe('2026-11-21');
  });

  test('sportello 2025: accessi, nuovi accessi, medie, aree, motivi e problemi', async () => {
    const d = documentoSportello(contesto, filtri('sportello', { anno: '2025' }), UDP, await leggiSportello(get(), 2025, null));
    // Lodi: A2, A3, A4, A7 (4; nuovo only A3: A1 of 2024 came first for mario, A4 ties A3 on the
    // date and loses on the id, A7 has no CF). Brembio: A5, A6 (both first in Brembio). A8: no comune.
    expect(riga(d, 'comuni', 'codice_istat', LODI)).toMatchObject({ accessi: 4, nuovi_accessi: 1, nuovi_percentuale: 25 });
    expect(riga(d, 'comuni', 'codice_istat', BREMBIO)).toMatchObject({ accessi: 2, nuovi_accessi: 2, nuovi_percentuale: 100 });
    expect(riga(d, 'comuni', 'codice_istat', SANTANGELO)).toMatchObject({ accessi: 0, nuovi_accessi: 0, nuovi_percentuale: null });
    expect(tabella(d, 'comuni').totali).toEqual([
      expect.objectContaining({ accessi: 6, nuovi_accessi: 3, nuovi_percentuale: 50 }),
      expect.objectContaining({ accessi: 2, nuovi_accessi: 1 }), // media = total / 3 comuni, zero included
    ]);
    expect([sintesi(d, 'accessi'), sintesi(d, 'nuovi_accessi'), sintesi(d, 'media_accessi')]).toEqual([6, 3, 2]);
    // Groups: cluster 6 = Lodi + Brembio (media 3), cluster 2 = Sant'Angelo.
    expect(riga(d, 'gruppi', 'gruppo', 'Cluster 6 (meno di 1.000 abitanti)')).toMatchObject({ comuni: 2, accessi: 6, media_accessi: 3, nuovi_accessi: 3, media_nuovi: 1.5 });
    // Areas at the date of access: luca (2015) minori, mario and anna adulti, A7 anziani by its own area.
    expect(tabella(d, 'aree').righe.map((r) => [r.codice_area, r.accessi, r.nuovi_accessi])).toEqual([
      ['minori', 1, 1],
      ['adulti', 4, 2],
      ['anziani', 1, 0],
      ['non_indicata', 0, 0],
    ]);
    // Motivi over the 5 accessi with one: CASA (A3, A4, A5) 60%, LAVORO (A2, A6) 40%.
    expect(tabella(d, 'motivi').righe).toEqual([
      { motivo: 'CASA', n: 3, percentuale: 60 },
      { motivo: 'LAVORO', n: 2, percentuale: 40 },
    ]);
    expect(tabella(d, 'problemi').righe).toEqual([
      { problema: 'DISOCCUPAZIONE', n: 2, percentuale: 50 },
      { problema: 'DISAGIO', n: 1, percentuale: 25 },
      { problema: 'PROBLEMI ABITATIVI', n: 1, percentuale: 25 },
    ]);
    expect(d.avvisi.some((a) => a.startsWith('1 accessi del 2025 non hanno un comune'))).toBe(true);
  });

  test('sportello: scegliere un motivo restringe i problemi; un comune e un\'area restringono tutto', async () => {
    const d = documentoSportello(contesto, filtri('sportello', { anno: '2025', motivo: 'LAVORO' }), UDP, await leggiSportello(get(), 2025, 'LAVORO'));
    expect(tabella(d, 'problemi').righe).toEqual([{ problema: 'DISOCCUPAZIONE', n: 2, percentuale: 100 }]);
    expect(tabella(d, 'motivi').righe.length).toBe(2); // the motivi themselves do not change
    const l = documentoSportello(contesto, filtri('sportello', { anno: '2025', comune: LODI, area: 'adulti' }), UDP, await leggiSportello(get(), 2025, null));
    expect([sintesi(l, 'accessi'), sintesi(l, 'nuovi_accessi')]).toEqual([3, 1]);
    expect(tabella(l, 'motivi').righe).toEqual([
      { motivo: 'CASA', n: 2, percentuale: 66.67 },
      { motivo: 'LAVORO', n: 1, percentuale: 33.33 },
    ]);
    // The comune's cluster and the ambito next to it, adulti only: Lodi's 3 and Brembio's A6.
    expect([sintesi(l, 'accessi_gruppo'), sintesi(l, 'accessi_ambito')]).toEqual([4, 4]);
  });

  test('sociali 2025: prese in carico, beneficiari, concluse, precedenti chiuse, copertura e fasce', async () => {
    const d = documentoSociali(contesto, filtri('sociali', { anno: '2025' }), UDP, await leggiSociali(get(), 2025, '2026-11-22'));
    // Lodi: mario (C1), anna (C1 from 2025-06-01), luca (C2; his C1 membership starts in 2026):
    // 3 prese, 3 beneficiari; C2 opened and closed in 2025. C5 opens in 2026: not counted.
    expect(riga(d, 'comuni', 'codice_istat', LODI)).toMatchObject({ prese_in_carico: 3, beneficiari_anno: 3, concluse_anno: 1, precedenti_chiuse_anno: 0, aperte: 1, popolazione: 60, copertura: 1.67, fascia: "dall'1% al 2%" });
    // Brembio: nonna (C3, closed 2025-03-15), mario (C4, closed 2024), luca (C6): 3 prese; mario's
    // membership ended in 2024, so 2 beneficiari; C3 opened in 2020 and closed in 2025.
    expect(riga(d, 'comuni', 'codice_istat', BREMBIO)).toMatchObject({ prese_in_carico: 3, beneficiari_anno: 2, concluse_anno: 0, precedenti_chiuse_anno: 1, aperte: 1, copertura: 2.5, fascia: 'oltre il 2%' });
    expect(riga(d, 'comuni', 'codice_istat', SANTANGELO)).toMatchObject({ prese_in_carico: 0, aperte: 0, copertura: 0, fascia: "meno dell'1%" });
    expect(tabella(d, 'aree').righe.map((r) => [r.codice_area, r.prese_in_carico, r.beneficiari_anno, r.concluse_anno, r.precedenti_chiuse_anno])).toEqual([
      ['minori', 2, 2, 1, 0],
      ['adulti', 3, 2, 0, 0],
      ['anziani', 1, 1, 0, 1],
      ['non_indicata', 0, 0, 0, 0],
    ]);
    expect(tabella(d, 'fasce').righe.map((r) => [r.codice_fascia, r.comuni])).toEqual([
      ['meno_1', 1],
      ['da_1_a_2', 1],
      ['oltre_2', 1],
    ]);
    expect([sintesi(d, 'prese_in_carico'), sintesi(d, 'media_prese_in_carico'), sintesi(d, 'copertura')]).toEqual([6, 2, 0.02]);
    // The buckets: 1% and 2% exactly belong to "1-2%".
    expect([fascia(1, 100), fascia(2, 100), fascia(99, 10000), fascia(201, 10000), fascia(1, 0)]).toEqual(['da_1_a_2', 'da_1_a_2', 'meno_1', 'oltre_2', null]);
  });

  test('sociali: nell\'anno in corso la copertura è calcolata a oggi', async () => {
    const d = await leggiSociali(get(), 2026, '2026-11-22');
    expect(d.giorno).toBe('2026-11-22');
    // On 2026-11-22 C1, C5 (Lodi) and C6 (Brembio) are open.
    const doc = documentoSociali(contesto, filtri('sociali', { anno: '2026' }), UDP, d);
    expect([riga(doc, 'comuni', 'codice_istat', LODI).aperte, riga(doc, 'comuni', 'codice_istat', BREMBIO).aperte]).toEqual([2, 1]);
  });

  test('economici 2025: totali, per codice con media e recuperi, per comune', async () => {
    const d = documentoEconomici(contesto, filtri('economici', { anno: '2025' }), UDP, await leggiEconomici(get(), 2025));
    expect(riga(d, 'totali', 'livello', 'Ambito')).toEqual({ livello: 'Ambito', n: 4, costo: 380, quota_comune: 300, media_prestazione: 75, recuperi: 80, recupero_assistito: 20, recupero_famiglia: 10, recupero_altri_enti: 40, recupero_altri: 10 });
    expect(tabella(d, 'prestazioni').righe).toEqual([
      { codice_prestazione: 'A1.04', descrizione: 'Contributi economici a integrazione del reddito', n: 3, costo: 350, quota_comune: 280, media_prestazione: 93.33, recuperi: 70, recupero_assistito: 20, recupero_famiglia: 0, recupero_altri_enti: 40, recupero_altri: 10 },
      { codice_prestazione: 'B2.01', descrizione: 'Servizio ignoto', n: 1, costo: 30, quota_comune: 20, media_prestazione: 20, recuperi: 10, recupero_assistito: 0, recupero_famiglia: 10, recupero_altri_enti: 0, recupero_altri: 0 },
    ]);
    expect(riga(d, 'comuni', 'codice_istat', LODI)).toMatchObject({ n: 3, costo: 180, quota_comune: 150, media_prestazione: 50, recuperi: 30 });
    expect(riga(d, 'comuni', 'codice_istat', BREMBIO)).toMatchObject({ n: 1, costo: 200, quota_comune: 150, media_prestazione: 150, recuperi: 50 });
    // The area of the beneficiary: the adulti erogazioni are P1 and P2 (A1.04).
    const a = documentoEconomici(contesto, filtri('economici', { anno: '2025', area: 'adulti' }), UDP, await leggiEconomici(get(), 2025));
    expect(tabella(a, 'prestazioni').righe.map((r) => [r.codice_prestazione, r.n, r.costo])).toEqual([['A1.04', 2, 150]]);
    expect(sintesi(a, 'n_prestazioni')).toBe(2);
  });

  test('mese: marzo 2025 contro febbraio, variazioni e primi dieci', async () => {
    const d = documentoMese(contesto, filtri('mese', { mese: '2025-03' }), UDP, await leggiMese(get(), '2025-03'));
    // Accessi: A3, A4 in March, A2 in February; new cartelle: C2 in February; erogazioni: P1 / P4.
    expect(tabella(d, 'confronto').righe.map((r) => [r.codice_misura, r.precedente, r.mese, r.variazione])).toEqual([
      ['accessi', 1, 2, 100],
      ['cartelle', 1, 0, -100],
      ['erogazioni', 1, 1, 0],
    ]);
    expect(tabella(d, 'top_motivi').righe).toEqual([{ posizione: 1, categoria: 'CASA', n: 2, percentuale: 100 }]);
    expect(tabella(d, 'top_prestazioni').righe).toEqual([{ posizione: 1, categoria: 'A1.04', descrizione: 'Contributi economici a integrazione del reddito', n: 1, percentuale: 100 }]);
    expect([variazione(0, 5), variazione(4, 5), variazione(3, 2)]).toEqual([null, 25, -33.33]);
  });

  test("l'account di un altro comune: i piccoli numeri sono <3 e i totali che li rivelerebbero sono riservati", async () => {
    const dati = await leggiSportello(get(), 2025, null);
    const udp = documentoSportello(contesto, filtri('sportello', { anno: '2025' }), UDP, dati);
    const lodi = documentoSportello(contesto, filtri('sportello', { anno: '2025' }), DI_LODI, dati);
    expect(riga(udp, 'comuni', 'codice_istat', BREMBIO).accessi).toBe(2);
    expect(riga(lodi, 'comuni', 'codice_istat', BREMBIO)).toMatchObject({ accessi: '<3', nuovi_accessi: '<3', nuovi_percentuale: 'riservato' });
    // Its own comune in full.
    expect(riga(lodi, 'comuni', 'codice_istat', LODI)).toMatchObject({ accessi: 4, nuovi_accessi: 1, nuovi_percentuale: 25 });
    // Cluster 6 = Lodi + Brembio and the ambito = Lodi + Brembio + 0: Lodi's account would subtract
    // its own 4 and find Brembio's 2. Both totals are withheld, and the averages built on them.
    expect(riga(lodi, 'gruppi', 'gruppo', 'Cluster 6 (meno di 1.000 abitanti)')).toMatchObject({ accessi: 'riservato', media_accessi: 'riservato' });
    expect(riga(lodi, 'gruppi', 'gruppo', 'Ambito')).toMatchObject({ accessi: 'riservato' });
    expect(lodi.riservatezza).toMatchObject({ attiva: true });
    expect(udp.riservatezza).toMatchObject({ attiva: false, primarie: 0, secondarie: 0 });
  });
});
