/**
 * The breakdowns of /analisi/ripartizioni on the hand-made sportello of
 * test/analisi/ripartizioni-dati.ts (figures worked out in its header), both engines: sesso from
 * the registry else the CF (omocodia included), the exact age at the date (birthdays, 29
 * February, 85), the country from the CF's cadastral code, punti, people and accessi; who may
 * choose what (the period rule) and what a reader outside the UdP sees.
 */
import { describeDb } from '../support/db';
import { caricaContesto, Contesto } from '../../server/cruscotto/contesto';
import { DatiRipartizioni, documentoRipartizioni, leggiRipartizioni, leggiRipartizioniAnno, TABELLE, totali } from '../../server/analisi/ripartizioni';
import { calcolaFatti } from '../../server/fatti/calcola';
import * as fatti from '../../server/fatti/leggi';
import { parseRipartizioni } from '../../server/analisi/ripartizioni-parametri';
import { isValidCf, sexFromCf } from '../../server/shared/cf';
import type { Utente } from '../../server/auth/tipi';
import { buildCf } from '../../server/shared/cf';
import { BREMBIO, caricaRipartizioni, LODI, omocodia, P2 } from './ripartizioni-dati';

const UDP: Utente = { id: 1, email: 'u@test.example', ruolo: 'udp', codice_istat: null, operatore_id: null };
const BREMBIO_U: Utente = { id: 2, email: 'b@test.example', ruolo: 'comune', codice_istat: BREMBIO, operatore_id: null };
const OPERATORE: Utente = { id: 3, email: 'o@test.example', ruolo: 'operatore', codice_istat: null, operatore_id: 'OP1' };

type Righe = { codice: string; categoria: string; accessi: unknown; persone: unknown }[];

describeDb('ripartizioni degli accessi', (get) => {
  let contesto: Contesto;
  beforeAll(async () => {
    await caricaRipartizioni(get());
    contesto = await caricaContesto(get(), '2026-11-22');
  });
  const parametri = (q: Record<string, string>, user: Utente = UDP) => parseRipartizioni(q, contesto, user, { api: true, tabelle: TABELLE });
  const tutti = () => contesto.comuni.map((c) => c.codice_istat);
  const tabella = (doc: { tabelle: { id: string; righe: unknown[] }[] }, id: string) => Object.fromEntries((doc.tabelle.find((t) => t.id === id)!.righe as Righe).map((r) => [r.codice, [r.accessi, r.persone]]));

  test('il codice fiscale di prova con omocodia è valido e dice M (il registro dirà F)', () => {
    expect(isValidCf(P2)).toBe(true);
    expect(P2.slice(9, 11)).toBe('MR');
    expect(P2.slice(11, 15)).toBe('ZPPL');
    expect(sexFromCf(P2)).toBe('M');
  });

  test('le funzioni SQL leggono il codice fiscale come server/shared/cf.ts, con ogni omocodia e un CF non valido', async () => {
    const casi: [string, boolean][] = [[P2, true], ['CFNONVALIDO00001', false]];
    for (const [sesso, giorno] of [['M', '1999-12-01'], ['F', '1985-07-31'], ['F', '2001-02-09']] as const) {
      const cf = buildCf('ABC', 'DEF', giorno, sesso, sesso === 'M' ? 'Z404' : 'F205');
      for (const pos of [[], [14], [9], [10], [9, 10, 12, 13, 14], [6, 7, 9, 10, 12, 13, 14]]) casi.push([pos.length ? omocodia(cf, pos) : cf, true]);
    }
    for (const [cf, valido] of casi) {
      const r = (await get().knex.raw('select cf_sesso(?, ?) as s, cf_nascita(?, ?) as n', [cf, valido, cf, valido])).rows[0];
      const atteso = isValidCf(cf) ? cf.slice(11, 12) + cf.slice(12, 15).replace(/[LMNPQRSTUV]/g, (c) => String('LMNPQRSTUV'.indexOf(c))) : null;
      expect([cf, r.s, r.n]).toEqual([cf, sexFromCf(cf), atteso === null ? null : atteso.startsWith('Z') ? atteso : 'IT']);
    }
  });

  test("anno 2025, l'ambito: sesso, fasce d'età, paese di nascita e punti, accessi e persone come calcolati a mano", async () => {
    const p = parametri({ anno: '2025' });
    expect([p.dal, p.al]).toEqual(['2025-01-01', '2025-12-31']);
    const doc = documentoRipartizioni(p, await leggiRipartizioni(get(), p.dal, p.al, tutti()), { proprio: null, totaleSportello: undefined });
    expect(doc.totale).toEqual({ accessi: 9, persone: 4 });
    expect(tabella(doc, 'sesso')).toEqual({ F: [4, 2], M: [3, 1], '': [2, 1] });
    expect(tabella(doc, 'eta')).toEqual({ '0-17': [2, 1], '18-24': [2, 0], '25-34': [1, 1], '35-44': [0, 0], '45-54': [0, 0], '55-64': [1, 0], '65-74': [1, 1], '75-84': [0, 0], '85+': [1, 1], '': [1, 0] });
    expect(tabella(doc, 'nascita')).toEqual({ IT: [2, 1], Z330: [2, 1], Z129: [3, 1], '': [2, 1] });
    expect(tabella(doc, 'punti')).toEqual({ 'Sportello Lodi': [5, 3], 'Sportello Brembio': [3, 1], '': [1, 1] });
    const nomi = (doc.tabelle.find((t) => t.id === 'nascita')!.righe as Righe).map((r) => r.categoria);
    expect(nomi).toEqual(['Romania', 'Italia', 'Marocco', 'Non ricavabile (codice fiscale assente o non valido)']);
    // Each table's total row is the same two figures.
    for (const t of doc.tabelle) expect([t.id, t.totale]).toEqual([t.id, { categoria: 'Totale', accessi: 9, persone: 4 }]);
    // A chart per table, with the table's rows.
    expect(doc.grafici.find((g) => g.id === 'grafico_sesso')).toMatchObject({ categorie: ['Femmine', 'Maschi', 'Non indicato'], serie: [{ dati: [4, 3, 2] }, { dati: [2, 1, 1] }] });
  });

  test('un periodo dal/al: il compleanno del 18° anno sposta la fascia il giorno stesso', async () => {
    const p = parametri({ dal: '2025-12-31', al: '2026-01-01', comune: LODI });
    const doc = documentoRipartizioni(p, await leggiRipartizioni(get(), p.dal, p.al, [LODI]), { proprio: null, totaleSportello: undefined });
    const eta = tabella(doc, 'eta');
    expect([eta['0-17'], eta['18-24']]).toEqual([[1, 0], [1, 1]]);
    expect(doc.totale).toEqual({ accessi: 2, persone: 1 });
  });

  test('un comune: per il proprio comune ogni cifra per intero (anche 1 e 2), dal/al compresi', async () => {
    const p = parametri({ dal: '2025-01-01', al: '2025-12-31', comune: BREMBIO }, BREMBIO_U);
    expect(p.pieno).toBe(true);
    const doc = documentoRipartizioni(p, await leggiRipartizioni(get(), p.dal, p.al, [BREMBIO]), { proprio: null, totaleSportello: undefined });
    expect(doc.totale).toEqual({ accessi: 4, persone: 2 });
    expect(tabella(doc, 'sesso')).toEqual({ F: [0, 0], M: [2, 1], '': [2, 1] });
    expect(tabella(doc, 'punti')).toEqual({ 'Sportello Brembio': [3, 1], '': [1, 1] });
  });

  test("fuori dall'UdP, l'ambito: il totale ha la sorte della pagina Sportello, ogni 1 o 2 è nascosto con un'altra cifra della sua tabella", async () => {
    for (const [user, proprio] of [[OPERATORE, null], [BREMBIO_U, BREMBIO]] as const) {
      const p = parametri({ anno: '2025' }, user);
      expect(p.pieno).toBe(false);
      const dati = await leggiRipartizioni(get(), p.dal, p.al, tutti());
      const own = proprio ? await leggiRipartizioni(get(), p.dal, p.al, [proprio]) : null;
      const doc = documentoRipartizioni(p, dati, { proprio: own, totaleSportello: 9 });
      expect(doc.totale.accessi).toBe(9);
      for (const t of doc.tabelle) {
        const celle = (t.righe as Righe).flatMap((r) => [r.accessi, ...(t.id === 'punti' ? [] : [r.persone])]).filter((v) => v !== 1 && v !== 2);
        // A 1 or 2 is shown only to the comune whose own records make all of it.
        for (const r of t.righe as Righe) {
          for (const [k, v] of [['accessi', r.accessi], ['persone', r.persone]] as const) {
            if (v !== 1 && v !== 2) continue;
            const dim = { punti: 'punto', sesso: 'sesso', eta: 'fascia', nascita: 'nascita' }[t.id] as 'punto';
            expect([user.ruolo, t.id, r.codice, k, own?.get(dim)!.get(r.codice)?.[k]]).toEqual([user.ruolo, t.id, r.codice, k, v]);
          }
        }
        const nascoste = celle.filter((v) => v === '<3' || v === 'riservato').length;
        if (celle.includes('<3')) expect(nascoste).toBeGreaterThanOrEqual(2);
        // People by punto do not add up: not shown outside the own comune.
        if (t.id === 'punti') expect((t.righe as Righe).every((r) => r.persone === null)).toBe(true);
      }
      // Hidden on /sportello: hidden here, and no breakdown.
      const nascosto = documentoRipartizioni(p, dati, { proprio: own, totaleSportello: 'riservato' });
      expect(nascosto.totale.accessi).toBe('riservato');
      expect(nascosto.tabelle.every((t) => t.righe.length === 0)).toBe(true);
      expect(nascosto.avvisi[0]).toContain('riservato anche nella pagina Sportello');
    }
  });

  test("fuori dall'UdP: una ripartizione le cui cifre nascoste il totale fissa (tre <3 sotto un totale di 3, il resto 0) non si pubblica", () => {
    const uno = { accessi: 1, persone: 1 };
    const dati: DatiRipartizioni = new Map([
      ['punto', new Map([['Sportello', { accessi: 3, persone: 3 }]])],
      ['sesso', new Map([['F', { accessi: 3, persone: 3 }]])],
      ['fascia', new Map([['0-17', uno], ['75-84', uno], ['85+', uno]])],
      ['nascita', new Map([['IT', { accessi: 3, persone: 3 }]])],
    ]);
    const doc = documentoRipartizioni(parametri({ anno: '2025' }, OPERATORE), dati, { proprio: null, totaleSportello: 3 });
    expect(doc.totale.accessi).toBe(3);
    expect(doc.tabelle.find((t) => t.id === 'eta')!.righe).toEqual([]);
    expect(doc.avvisi).toContain("La ripartizione per fascia d'età alla data dell'accesso non è mostrata: con numeri così piccoli le cifre nascoste si ricaverebbero dal totale.");
    expect(tabella(doc, 'sesso')).toEqual({ F: [3, 'riservato'], M: [0, 0], '': [0, 0] });
    // The UdP sees it all.
    const udp = documentoRipartizioni(parametri({ anno: '2025' }), dati, { proprio: null, totaleSportello: undefined });
    expect(tabella(udp, 'eta')['85+']).toEqual([1, 1]);
  });

  test('la regola dei periodi e delle selezioni: 400 in italiano per dal/al fuori dal proprio comune, 403 per le altre selezioni', () => {
    expect(() => parametri({ dal: '2025-01-01', al: '2025-06-30' }, OPERATORE)).toThrow(/riservati all'Ufficio di Piano.*anno intero/);
    expect(() => parametri({ dal: '2025-01-01', al: '2025-06-30' }, BREMBIO_U)).toThrow(/anno intero/);
    expect(() => parametri({ anno: '2025', comune: LODI }, BREMBIO_U)).toThrow(/ambito e del proprio comune/);
    expect(() => parametri({ anno: '2025', comune: BREMBIO }, OPERATORE)).toThrow(/intero ambito/);
    expect(() => parametri({ anno: '2025', cluster: String(contesto.cluster[0]) }, BREMBIO_U)).toThrow(/Accesso negato/);
    expect(() => parametri({ anno: '2025', dal: '2025-01-01' })).toThrow(/un anno oppure un periodo/);
    expect(() => parametri({ anno: '1999' })).toThrow(/«anno»/);
    expect(() => parametri({ dal: '2025-02-30' })).toThrow(/non è una data del calendario/);
    expect(() => parametri({ sesso: 'F' })).toThrow(/non è un parametro/);
    expect(parametri({ anno: '2025', comune: BREMBIO }, BREMBIO_U).pieno).toBe(true);
    expect(parametri({}, OPERATORE).anno).toBe(2026);
  });
  test("i fatti precalcolati, a mano: per comune e per ambito; P4, a Lodi e a Brembio, è una persona dell'ambito con la fascia del suo ultimo accesso", async () => {
    await calcolaFatti(get(), '2026-11-22');
    const stato = await fatti.fattiCorrenti(get());
    const fasce = (d: DatiRipartizioni, f: 'accessi' | 'persone') => Object.fromEntries([...d.get('fascia')!].filter(([, x]) => x[f] > 0).map(([c, x]) => [c, x[f]]));
    const leggi = async (comune: string | null) => {
      // Read from the facts (not computed from the accessi), and the same as computed from them.
      expect(await fatti.ripartizioni(get(), stato, 2025, comune)).not.toBeNull();
      const { dati } = await leggiRipartizioniAnno(get(), 2025, comune, tutti());
      expect(dati).toEqual(await leggiRipartizioni(get(), '2025-01-01', '2025-12-31', comune ? [comune] : tutti()));
      return dati;
    };
    const lodi = await leggi(LODI);
    const brembio = await leggi(BREMBIO);
    const ambito = await leggi(null);
    // Lodi: a1 a2 a3 a4 a7 (P1, P2, P4); Brembio: a5 a6 a8 a9 (P3, P4; a6 without CF).
    expect([totali(lodi), totali(brembio), totali(ambito)]).toEqual([{ accessi: 5, persone: 3 }, { accessi: 4, persone: 2 }, { accessi: 9, persone: 4 }]);
    // P4's latest accesso: in Lodi a7 on 28/02 (24 years: 18-24), in Brembio and the ambito a9 on 1/3 (25).
    expect(fasce(lodi, 'persone')).toEqual({ '0-17': 1, '18-24': 1, '65-74': 1 });
    expect(fasce(brembio, 'persone')).toEqual({ '25-34': 1, '85+': 1 });
    expect(fasce(ambito, 'persone')).toEqual({ '0-17': 1, '25-34': 1, '65-74': 1, '85+': 1 });
    // Accessi add up over the comuni, category by category.
    expect(fasce(ambito, 'accessi')).toEqual({ '0-17': 2, '18-24': 2, '25-34': 1, '55-64': 1, '65-74': 1, '85+': 1, '': 1 });
    expect([...ambito.get('punto')!]).toEqual(expect.arrayContaining([['Sportello Lodi', { accessi: 5, persone: 3 }], ['Sportello Brembio', { accessi: 3, persone: 1 }], ['', { accessi: 1, persone: 1 }]]));
    expect(Object.fromEntries(brembio.get('sesso')!)).toEqual({ M: { accessi: 2, persone: 1 }, '': { accessi: 2, persone: 1 } });
    // 2024 (a10 only: P1 on 31/12) is among the facts too.
    expect(totali((await leggiRipartizioniAnno(get(), 2024, null, tutti())).dati)).toEqual({ accessi: 1, persone: 1 });
  });
});
