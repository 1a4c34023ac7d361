/**
 * Years side by side and any range of days (issue 20, items 1 and 3) on the hand-made ambito of
 * test/cruscotto/dati.ts, figures worked out by hand from docs/metriche.md (both engines):
 * the per-year figures and their variation, a range crossing the turn of the year with both
 * bounds included, the per-year reads equal to each year page's reads (from the data and from
 * the precomputed facts), and each year's cell with the very fate it has on its year's page.
 */
import { describeDb } from '../support/db';
import { caricaContesto, Contesto } from '../../server/cruscotto/contesto';
import { parseFiltri, Pagina } from '../../server/cruscotto/filtri';
import type { Visibilita } from '../../server/cruscotto/nodi';
import type { Documento } from '../../server/cruscotto/documento';
import { documentoSportello, leggiSportello } from '../../server/cruscotto/sportello';
import { documentoSociali, leggiSociali } from '../../server/cruscotto/sociali';
import { documentoEconomici, leggiEconomici } from '../../server/cruscotto/economici';
import { chiaveVariazione, confrontoAnni, FIGURE_ANNI, valoreDi, variazione } from '../../server/cruscotto/anni';
import { leggiAnni } from '../../server/cruscotto/anni-dati';
import { anniFino, documentiAnni, filtriAnno } from '../../server/cruscotto/anni-pagine';
import { controllaPeriodo, soloProprio } from '../../server/cruscotto/periodo';
import { calcolaFatti } from '../../server/fatti/calcola';
import { BREMBIO, caricaDati, LODI } from './dati';

const OGGI = '2026-11-22';
const UDP: Visibilita = { udp: true, proprio: null, classe: 'udp' };
const DI_LODI: Visibilita = { udp: false, proprio: LODI, classe: `comune:${LODI}` };
const ALTRI: Visibilita = { udp: false, proprio: null, classe: 'altri' };

const tabella = (d: Documento, id: string) => d.tabelle.find((t) => t.id === id)!;
const sintesi = (d: Documento, chiave: string) => d.sintesi.find((s) => s.chiave === chiave)?.valore;
/** A plain copy of the raw figures (maps as sorted entries), without what only warns. */
const piatto = (x: unknown): unknown => (x instanceof Map ? [...x.entries()].sort(([a], [b]) => String(a).localeCompare(String(b))).map(([k, v]) => [k, piatto(v)]) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'avviso' && k !== 'non_attribuiti').map(([k, v]) => [k, piatto(v)])) : x);

test('variazione: sul precedente, «riservato» se una delle due è nascosta, nulla se il precedente è 0 o manca', () => {
  expect(variazione(6, 1)).toBe(500);
  expect(variazione(300, 999)).toBe(-69.97); // -69.969... rounded half away from zero
  expect(variazione(2, 3)).toBe(-33.33);
  expect(variazione(5, 5)).toBe(0);
  expect(variazione(1, 0)).toBeNull();
  expect(variazione(0, 0)).toBeNull();
  expect(variazione(4, null)).toBeNull();
  expect(variazione('<3', 7)).toBe('riservato');
  expect(variazione(7, 'riservato')).toBe('riservato');
  expect(variazione('<3', 0)).toBe('riservato');
});

describeDb('cruscotto: anni a confronto e periodi dal/al', (get) => {
  let contesto: Contesto;
  const filtri = (pagina: Pagina, q: Record<string, string> = {}) => parseFiltri(q, pagina, contesto, { api: true });
  const memo = new Map<string, Promise<unknown>>();
  const cached = <T>(k: string, fn: () => Promise<T>) => (memo.get(k) ?? memo.set(k, fn()).get(k)!) as Promise<T>;
  const anni = async (pagina: 'sportello' | 'sociali' | 'economici', v: Visibilita, q: Record<string, string>) => {
    const f = filtri(pagina, q);
    const docs = await documentiAnni(get(), cached, { versione: String(memo.size), contesto, v }, f.anno, [pagina], (_p, a) => filtriAnno(f, a, v.udp || (v.proprio !== null && f.comune === v.proprio)));
    return confrontoAnni(FIGURE_ANNI[pagina], docs, 'Anni a confronto');
  };
  const colonna = (t: { righe: Record<string, unknown>[] }, k: string) => t.righe.map((r) => [r.anno, r[k]]);

  beforeAll(async () => {
    await caricaDati(get());
    contesto = await caricaContesto(get(), OGGI);
  });

  test('anni: dal primo anno con dati (2020) a quello scelto, in ordine', () => {
    expect(anniFino(contesto, 2025)).toEqual([2020, 2021, 2022, 2023, 2024, 2025]);
    expect(anniFino(contesto, 2019)).toEqual([2019]);
  });

  test('sportello per anno: accessi e nuovi 2024 (A1) e 2025, variazioni calcolate a mano', async () => {
    const { tabella: t, grafico } = await anni('sportello', UDP, { anno: '2025' });
    // 2024: A1 (mario's first in Lodi, nuovo). 2025: the page's 6 accessi, 3 nuovi.
    expect(colonna(t, 'accessi')).toEqual([['2020', 0], ['2021', 0], ['2022', 0], ['2023', 0], ['2024', 1], ['2025', 6]]);
    expect(colonna(t, 'nuovi_accessi').slice(4)).toEqual([['2024', 1], ['2025', 3]]);
    expect(colonna(t, 'nuovi_percentuale').slice(3)).toEqual([['2023', null], ['2024', 100], ['2025', 50]]);
    // 100 × (6 − 1) / 1 and 100 × (3 − 1) / 1; from 0 the variation is not computable.
    expect(colonna(t, chiaveVariazione('accessi')).slice(3)).toEqual([['2023', null], ['2024', null], ['2025', 500]]);
    expect(colonna(t, chiaveVariazione('nuovi_accessi'))[5]).toEqual(['2025', 200]);
    expect(t.colonne.some((c) => c.chiave === chiaveVariazione('nuovi_percentuale'))).toBe(false);
    expect(grafico).toMatchObject({ id: 'grafico_anni', tipo: 'barre', categorie: ['2020', '2021', '2022', '2023', '2024', '2025'], tabella: 'anni' });
    expect(grafico.serie.map((s) => s.nome)).toEqual(['Accessi', 'Nuovi accessi']);
  });

  test('sociali per anno: prese in carico, beneficiari, concluse, precedenti chiuse, copertura', async () => {
    const { tabella: t } = await anni('sociali', UDP, { anno: '2025' });
    // nonna (C3, Brembio) from 2020; mario (C1, Lodi) from 2023; mario (C4, Brembio) in 2024.
    expect(colonna(t, 'prese_in_carico')).toEqual([['2020', 1], ['2021', 1], ['2022', 1], ['2023', 2], ['2024', 3], ['2025', 6]]);
    // 2025: Lodi 3, Brembio 2 (mario's C4 ended in 2024).
    expect(colonna(t, 'beneficiari_anno')).toEqual([['2020', 1], ['2021', 1], ['2022', 1], ['2023', 2], ['2024', 3], ['2025', 5]]);
    expect(colonna(t, 'concluse_anno').slice(4)).toEqual([['2024', 1], ['2025', 1]]); // C4, C2
    expect(colonna(t, 'precedenti_chiuse_anno').slice(4)).toEqual([['2024', 0], ['2025', 1]]); // C3
    // Open on 31/12/2024: C1, C3 (C4 closed that day) = 2 of 13,100 residents = 0.0153% -> 0.02.
    expect(colonna(t, 'copertura').slice(4)).toEqual([['2024', 0.02], ['2025', 0.02]]);
    expect(colonna(t, chiaveVariazione('prese_in_carico')).slice(1)).toEqual([['2021', 0], ['2022', 0], ['2023', 100], ['2024', 50], ['2025', 100]]);
    expect(colonna(t, chiaveVariazione('beneficiari_anno'))[5]).toEqual(['2025', 66.67]);
  });

  test('economici per anno: P5 nel 2024, le quattro del 2025; la variazione negativa', async () => {
    const { tabella: t, grafico } = await anni('economici', UDP, { anno: '2025' });
    expect(t.righe.slice(4).map((r) => [r.anno, r.n_prestazioni, r.costo, r.quota_comune, r.media_prestazione, r.recuperi])).toEqual([
      ['2024', 1, 999, 999, 999, 0],
      ['2025', 4, 380, 300, 75, 80],
    ]);
    expect(t.righe[5]).toMatchObject({ n_prestazioni_variazione: 300, costo_variazione: -61.96, quota_comune_variazione: -69.97, media_prestazione_variazione: -92.49, recuperi_variazione: null });
    expect(grafico.unita).toBe('€');
  });

  test('le letture per anno sono quelle delle pagine di ogni anno: dai dati e dai fatti precalcolati', async () => {
    const tutti = anniFino(contesto, 2026);
    const confronta = async () => {
      const sp = await leggiAnni(get(), 'sportello', tutti, OGGI);
      const so = await leggiAnni(get(), 'sociali', tutti, OGGI);
      const ec = await leggiAnni(get(), 'economici', tutti, OGGI);
      for (const a of tutti) {
        expect([a, piatto(sp.get(a))]).toEqual([a, piatto(await leggiSportello(get(), a, null))]);
        expect([a, piatto(so.get(a))]).toEqual([a, piatto(await leggiSociali(get(), a, OGGI))]);
        expect([a, piatto(ec.get(a))]).toEqual([a, piatto(await leggiEconomici(get(), a))]);
      }
    };
    await confronta();
    // With the facts (2023-2026) the older years still come from the one query by year.
    await calcolaFatti(get(), OGGI);
    await confronta();
    await get().knex('fatti_stato').del();
  });

  test('ogni cifra di un anno ha lo stesso destino (mostrata, <3, riservato) che ha nella pagina di quell\'anno', async () => {
    const costruisci = { sportello: documentoSportello, sociali: documentoSociali, economici: documentoEconomici } as const;
    const leggi = { sportello: (a: number) => leggiSportello(get(), a, null), sociali: (a: number) => leggiSociali(get(), a, OGGI), economici: (a: number) => leggiEconomici(get(), a) };
    let nascoste = 0;
    for (const v of [ALTRI, DI_LODI, UDP]) {
      for (const q of [{}, { comune: BREMBIO }, { comune: LODI }, { cluster: '6' }, { distretto: 'Lodi', vista: 'distretto' }] as Record<string, string>[]) {
        for (const pagina of ['sportello', 'sociali', 'economici'] as const) {
          const { tabella: t } = await anni(pagina, v, { anno: '2025', ...q });
          for (const r of t.righe) {
            const a = Number(r.anno);
            const f = filtri(pagina, { anno: String(a), ...q });
            const pag = (costruisci[pagina] as (c: Contesto, f: unknown, v: Visibilita, d: unknown) => Documento)(contesto, f, v, await leggi[pagina](a));
            for (const fig of FIGURE_ANNI[pagina]) {
              expect([v.classe, q, pagina, a, fig.chiave, r[fig.chiave]]).toEqual([v.classe, q, pagina, a, fig.chiave, valoreDi(pag, fig.chiave)]);
              if (r[fig.chiave] === '<3' || r[fig.chiave] === 'riservato') nascoste++;
            }
          }
          // A variation next to a hidden figure (this year or the one before) is hidden too.
          for (const fig of FIGURE_ANNI[pagina].filter((x) => x.tipo !== 'percentuale')) {
            t.righe.forEach((r, i) => {
              const h = (x: unknown) => x === '<3' || x === 'riservato';
              if (i > 0 && (h(r[fig.chiave]) || h(t.righe[i - 1][fig.chiave]))) expect(r[chiaveVariazione(fig.chiave)]).toBe('riservato');
            });
          }
        }
      }
    }
    expect(nascoste).toBeGreaterThan(10); // the comparison is not only between shown figures
  });

  test('periodo a cavallo dell\'anno, estremi compresi: sportello, sociali, economici', async () => {
    const P = { inizio: '2024-12-01', fine: '2025-03-01' };
    const p = { dal: P.inizio, al: P.fine };
    // Sportello: A2 (1/2), A3 and A4 (1/3 = al, included); A1 (May 2024) out. Nuovo: A3 only.
    const fs = filtri('sportello', p);
    expect([fs.dal, fs.al, fs.anno]).toEqual(['2024-12-01', '2025-03-01', 2025]);
    const s = documentoSportello(contesto, fs, UDP, await leggiSportello(get(), fs.anno, null, p));
    expect([sintesi(s, 'accessi'), sintesi(s, 'nuovi_accessi')]).toEqual([3, 1]);
    expect(s.titolo).toBe('Sportello: accessi dal 01/12/2024 al 01/03/2025');
    const g = await leggiSportello(get(), 2025, null, { dal: '2024-12-01', al: '2025-02-28' });
    expect([...g.aree.get(LODI)!.values()].reduce((a, x) => a + x.accessi, 0)).toBe(1); // A2 only
    // Sociali, al = 1/3/2025: prese Lodi mario + luca (C2 from 1/2; anna starts in June), Brembio
    // nonna + mario (C4 opened 1/12/2024); beneficiari the same four; C4 opened and closed inside
    // the range (across the year); C3 closes after al; open on 1/3/2025: C1, C2, C3.
    const fo = filtri('sociali', p);
    const o = documentoSociali(contesto, fo, UDP, await leggiSociali(get(), fo.anno, OGGI, p));
    const lodi = tabella(o, 'comuni').righe.find((r) => r.codice_istat === LODI)!;
    const bre = tabella(o, 'comuni').righe.find((r) => r.codice_istat === BREMBIO)!;
    expect([lodi.prese_in_carico, lodi.beneficiari_anno, lodi.concluse_anno, lodi.aperte]).toEqual([2, 2, 0, 2]);
    expect([bre.prese_in_carico, bre.beneficiari_anno, bre.concluse_anno, bre.precedenti_chiuse_anno, bre.aperte]).toEqual([2, 2, 1, 0, 1]);
    // Economici: P5 (31/12/2024), P4 (1/2/2025), P1 (1/3/2025 = al).
    const fe = filtri('economici', p);
    const e = documentoEconomici(contesto, fe, UDP, await leggiEconomici(get(), fe.anno, p));
    expect([sintesi(e, 'n_prestazioni'), sintesi(e, 'costo'), sintesi(e, 'quota_comune')]).toEqual([3, 1299, 1229]);
    // One day: the bounds are both in.
    const giorno = await leggiEconomici(get(), 2025, { dal: '2025-03-01', al: '2025-03-01' });
    expect([...giorno.righe.get(LODI)!.get('A1.04')!.values()].map((x) => x.n)).toEqual([1]);
  });

  test('dal/al: solo uno dei due, date sbagliate, fuori dai limiti; insieme ad anno vince il periodo', () => {
    expect(filtri('sportello', { dal: '2025-02-01' })).toMatchObject({ dal: '2025-02-01', al: '2026-11-21' }); // al = the data's date
    expect(filtri('sportello', { al: '2025-06-30' })).toMatchObject({ dal: '2025-01-01', al: '2025-06-30' });
    const f = filtri('sportello', { anno: '2024', dal: '2025-01-01', al: '2025-01-31' });
    expect([f.dal, f.anno]).toEqual(['2025-01-01', 2025]);
    expect(f.avviso).toContain("il filtro dell'anno 2024 è stato tolto");
    expect(() => filtri('sportello', { dal: '2025-02-30' })).toThrow('non è una data del calendario');
    expect(() => filtri('sportello', { dal: '2025-13-45' })).toThrow('non è una data del calendario');
    expect(() => filtri('sportello', { dal: '1/2/2025' })).toThrow('AAAA-MM-GG');
    expect(() => filtri('sportello', { dal: '2025-03-02', al: '2025-03-01' })).toThrow('viene dopo');
    expect(() => filtri('sportello', { dal: '1999-12-31', al: '2000-01-01' })).toThrow('dal 2000-01-01 a oggi');
    expect(() => filtri('sportello', { al: '2026-11-23' })).toThrow('dal 2000-01-01 a oggi');
    expect(() => filtri('mese', { dal: '2025-01-01' })).toThrow('non è un filtro di questa pagina');
    expect(() => filtri('comune', { dal: '2025-01-01' })).toThrow('non è un filtro di questa pagina');
  });

  test('regola dei periodi: UdP ovunque, il comune solo sul proprio comune, gli altri 400', () => {
    const p = { dal: '2025-01-01', al: '2025-01-31' };
    for (const q of [{}, { comune: BREMBIO }, { cluster: '6' }, { comune: LODI }] as Record<string, string>[]) expect(() => controllaPeriodo(filtri('sportello', { ...p, ...q }), UDP)).not.toThrow();
    expect(() => controllaPeriodo(filtri('sociali', { ...p, comune: LODI }), DI_LODI)).not.toThrow();
    for (const q of [{}, { comune: BREMBIO }, { cluster: '6' }] as Record<string, string>[]) {
      expect(() => controllaPeriodo(filtri('economici', { ...p, ...q }), DI_LODI)).toThrow(/solo per il proprio comune.*anno intero.*rivelerebbero i piccoli numeri/);
    }
    for (const q of [{}, { comune: LODI }] as Record<string, string>[]) expect(() => controllaPeriodo(filtri('sportello', { ...p, ...q }), ALTRI)).toThrow(/solo all'Ufficio di Piano/);
    // Whole years stay open to everyone.
    expect(() => controllaPeriodo(filtri('sportello', { anno: '2025', comune: BREMBIO }), ALTRI)).not.toThrow();
  });

  test('il comune sul proprio comune con un periodo vede solo le proprie cifre', async () => {
    const p = { dal: '2024-12-01', al: '2025-03-01', comune: LODI };
    const fe = filtri('economici', p);
    const e = soloProprio(documentoEconomici(contesto, fe, DI_LODI, await leggiEconomici(get(), fe.anno, p)), fe);
    expect(e.sintesi.map((s) => s.chiave).filter((k) => /gruppo|ambito/.test(k))).toEqual([]);
    expect(e.tabelle.map((t) => t.id)).not.toContain('gruppi');
    expect(tabella(e, 'totali').righe.map((r) => r.livello)).toEqual(['Lodi']);
    expect(tabella(e, 'totali').righe[0]).toMatchObject({ n: 2, costo: 1099, quota_comune: 1079 }); // P5 + P1
    const fs = filtri('sportello', p);
    const s = soloProprio(documentoSportello(contesto, fs, DI_LODI, await leggiSportello(get(), fs.anno, null, p)), fs);
    expect(s.sintesi.map((x) => x.chiave)).toEqual(['accessi', 'nuovi_accessi', 'nuovi_percentuale', 'media_accessi', 'media_nuovi']);
    expect(JSON.stringify(s)).not.toContain('Brembio');
    expect(s.riferimenti).toBeUndefined();
  });
});
