/**
 * The analyses of issue 20 on the hand-made ambito of test/analisi/dati.ts (figures worked out
 * in its header), both engines: the balance and its identity with incoherent dates, a period
 * crossing a year, the exclusion decided at `al`, the caseload per operatore with its median
 * and top quartile.
 */
import { describeDb } from '../support/db';
import { caricaContesto, Contesto } from '../../server/cruscotto/contesto';
import { parseParametri } from '../../server/analisi/parametri';
import { documentoSaldo, leggiSaldo } from '../../server/analisi/saldo';
import { documentoCarico, leggiCarico } from '../../server/analisi/carico';
import { mediana, quartileSuperiore } from '../../server/analisi/statistiche';
import type { Utente } from '../../server/auth/tipi';
import { AL, BREMBIO, caricaAnalisi, DAL, LODI } from './dati';

const UDP: Utente = { id: 1, email: 'u@test.example', ruolo: 'udp', codice_istat: null, operatore_id: null };
const COMUNE_BREMBIO: Utente = { id: 2, email: 'b@test.example', ruolo: 'comune', codice_istat: BREMBIO, operatore_id: null };

test('mediana e soglia del quartile superiore, calcolate a mano', () => {
  expect(mediana([])).toBeNull();
  expect(mediana([4, 1, 2, 1])).toBe(1.5); // 1 1 2 4: (1 + 2) / 2
  expect(mediana([3, 9, 1])).toBe(3);
  expect(quartileSuperiore([4, 1, 2, 1])).toBe(2); // ceil(0.75 * 4) = 3rd of 1 1 2 4
  expect(quartileSuperiore([1, 1, 1])).toBe(1);
  expect(quartileSuperiore([5, 1, 3, 2, 4])).toBe(4); // ceil(3.75) = 4th of 1 2 3 4 5
  expect(quartileSuperiore([7])).toBe(7);
});

describeDb('analisi: saldo e carico', (get) => {
  let contesto: Contesto;
  beforeAll(async () => {
    await caricaAnalisi(get());
    contesto = await caricaContesto(get(), '2026-11-22');
  });
  const parametri = (q: Record<string, string>, user: Utente = UDP) => parseParametri(q, contesto, user, { api: true, tabelle: ['comuni', 'operatori', 'distribuzione', 'senza_email'] });

  test('saldo su un periodo a cavallo dell\'anno: i quattro numeri per comune e per l\'ambito, le date incoerenti fuori e contate', async () => {
    const p = parametri({ dal: DAL, al: AL });
    const doc = documentoSaldo(p, await leggiSaldo(get(), DAL, AL));
    const t = doc.tabelle[0];
    const riga = (istat: string) => t.righe.find((r) => r.codice_istat === istat)!;
    expect(riga(LODI)).toMatchObject({ aperte_inizio: 4, aperte_periodo: 2, chiuse_periodo: 3, aperte_fine: 3, date_incoerenti: 1, escluse: 2 });
    expect(riga(BREMBIO)).toMatchObject({ aperte_inizio: 4, aperte_periodo: 2, chiuse_periodo: 1, aperte_fine: 5, date_incoerenti: 2, escluse: 0 });
    expect(t.totale).toMatchObject({ comune: "Tutto l'ambito", aperte_inizio: 8, aperte_periodo: 4, chiuse_periodo: 4, aperte_fine: 8, date_incoerenti: 3, escluse: 2 });
    expect(doc.quadra).toBe(true);
    expect(doc.date_incoerenti).toEqual({ cartelle: 3, link: '/qualita?controllo=date_incoerenti#sezione-risultati' });
    expect(doc.avvisi[0]).toContain('3 cartelle hanno la data di chiusura precedente a quella di apertura');
  });

  test('un comune legge solo cifre fatte dei record del proprio comune: cambiare tutto degli altri comuni non cambia nulla (docs/riservatezza.md)', async () => {
    const p = parametri({ dal: DAL, al: AL }, COMUNE_BREMBIO);
    const saldo = await leggiSaldo(get(), DAL, AL);
    const carico = await leggiCarico(get(), DAL, AL);
    // Every figure of another comune changed: its rows, and what the operatori without email
    // hold elsewhere (their open cartelle summed over all comuni, and the other comuni listed).
    const saldoAltri = new Map([...saldo].map(([k, r]) => [k, k === BREMBIO ? r : { ...r, aperte_inizio: r.aperte_inizio + 7, aperte_periodo: r.aperte_periodo + 1, chiuse_periodo: 2, aperte_fine: r.aperte_fine + 6, date_incoerenti: 1, escluse: 5 }]));
    const caricoAltri = {
      righe: [...carico.righe.map((r) => (r.codice_istat === BREMBIO ? r : { ...r, aperte: r.aperte + 3, aperte_periodo: 1, chiuse_periodo: 2, persone: r.persone + 4 })), { operatore_id: 'OPX', codice_istat: LODI, aperte: 1, aperte_periodo: 1, chiuse_periodo: 0, persone: 1, in_anagrafica: false, nome: null, cognome: null, email: null }],
      senzaEmail: carico.senzaEmail.map((o) => ({ ...o, aperte: o.aperte + 9, comuni_cartelle: o.comuni_cartelle.includes(BREMBIO) ? [BREMBIO, LODI] : o.comuni_cartelle.filter((c) => c !== LODI) })),
    };
    expect(carico.righe.some((r) => r.codice_istat !== BREMBIO)).toBe(true);
    expect(JSON.stringify(documentoSaldo(p, saldoAltri))).toBe(JSON.stringify(documentoSaldo(p, saldo)));
    expect(JSON.stringify(documentoCarico(p, caricoAltri, false))).toBe(JSON.stringify(documentoCarico(p, carico, false)));
    // And the office, for the whole ambito, does see the change: the comparison is not blind.
    expect(JSON.stringify(documentoSaldo(parametri({ dal: DAL, al: AL }), saldoAltri))).not.toBe(JSON.stringify(documentoSaldo(parametri({ dal: DAL, al: AL }), saldo)));
  });

  test('l\'identità vale su ogni comune e per ogni periodo, anche dove le date incoerenti cadono dentro', async () => {
    const periodi: [string, string][] = [[DAL, AL], ['2025-01-01', '2025-12-31'], ['2026-01-01', '2026-01-01'], ['2022-01-01', '2026-11-22'], ['2025-12-31', '2026-01-01']];
    for (const [dal, al] of periodi) {
      const dati = await leggiSaldo(get(), dal, al);
      for (const r of dati.values()) expect([dal, al, r.codice_istat, r.aperte_inizio + r.aperte_periodo - r.chiuse_periodo]).toEqual([dal, al, r.codice_istat, r.aperte_fine]);
    }
    // One day, the turn of the year: B1 opened on 31/12 and closed on 1/1.
    const capodanno = await leggiSaldo(get(), '2025-12-31', '2026-01-01');
    expect(capodanno.get(BREMBIO)).toMatchObject({ aperte_inizio: 4, aperte_periodo: 1, chiuse_periodo: 1, aperte_fine: 4 });
  });

  test('esclusione pasti e trasporti decisa a «al»: L10 è esclusa fino al contributo del 10/3/2026, poi conta', async () => {
    const prima = await leggiSaldo(get(), DAL, AL);
    expect(prima.get(LODI)!.escluse).toBe(2);
    const dopo = await leggiSaldo(get(), DAL, '2026-03-31');
    // L9 stays excluded; L10 counts (opened in the period, open at al); L8 opened on 1/3; L4 closed on 28/2.
    expect(dopo.get(LODI)).toMatchObject({ escluse: 1, aperte_inizio: 4, aperte_periodo: 4, chiuse_periodo: 3, aperte_fine: 5 });
  });

  test('un comune vede il proprio saldo, con il link alla qualità del proprio comune', async () => {
    const p = parametri({ dal: DAL, al: AL }, COMUNE_BREMBIO);
    expect(p.comune).toBe(BREMBIO);
    const doc = documentoSaldo(p, await leggiSaldo(get(), DAL, AL));
    expect(doc.tabelle[0].righe.map((r) => r.codice_istat)).toEqual([BREMBIO]);
    expect(doc.tabelle[0].totale).toMatchObject({ aperte_fine: 5, date_incoerenti: 2 });
    expect(doc.date_incoerenti.link).toBe(`/qualita?comune=${BREMBIO}&controllo=date_incoerenti#sezione-risultati`);
  });

  test('carico per operatore e comune, persone in carico, distribuzione (mediana 1,5; quartile superiore 2)', async () => {
    const p = parametri({ dal: DAL, al: AL });
    const doc = documentoCarico(p, await leggiCarico(get(), DAL, AL), true);
    const righe = doc.tabelle.find((t) => t.id === 'operatori')!.righe.map((r) => [r.operatore_id, r.comune, r.aperte, r.aperte_periodo, r.chiuse_periodo, r.persone, r.operatore, r.email]);
    expect(righe).toEqual([
      ['OP5', 'Brembio', 4, 0, 0, 1, 'Paolo Neri', true],
      ['OP1', 'Brembio', 1, 2, 1, 1, 'Maria Rossi', true],
      ['OP1', 'Lodi', 1, 0, 1, 1, 'Maria Rossi', true],
      ['OP2', 'Lodi', 1, 2, 1, 2, 'Luca Bianchi', false],
      ['OP4', 'Lodi', 1, 0, 0, 1, 'non presente in operatori.csv', false],
      [null, 'Lodi', 0, 0, 1, 0, 'Operatore non indicato nella cartella', null],
    ]);
    // Per operatore: OP5 4, OP1 2, OP2 1, OP4 1 -> 1 1 2 4.
    expect(doc.distribuzione).toEqual({ operatori: 4, mediana: 1.5, quartile_superiore: 2, massimo: 4, nel_quartile_superiore: 2 });
    expect(doc.tabelle.find((t) => t.id === 'distribuzione')!.righe.map((r) => [r.operatore_id, r.aperte, r.comuni, r.quartile_superiore])).toEqual([
      ['OP5', 4, 1, true],
      ['OP1', 2, 2, true],
      ['OP2', 1, 1, false],
      ['OP4', 1, 1, false],
    ]);
    expect(doc.tabelle.find((t) => t.id === 'senza_email')!.righe.map((r) => [r.operatore_id, r.operatore, r.aperte])).toEqual([
      ['OP2', 'Luca Bianchi', 1],
      ['OP3', 'Anna Verdi', 0],
      ['OP4', 'non presente in operatori.csv', 1],
    ]);
    expect(doc.avvisi).toContain('3 operatori non hanno un indirizzo email in operatori.csv (o non vi compaiono): non ricevono gli avvisi delle variazioni anagrafiche.');
    // The cartella without an operatore (L5) closed in the period: a row, but none open to warn about.
    expect(doc.avvisi.some((a) => a.includes('cartelle aperte non indicano') || a.includes('cartella aperta non indica'))).toBe(false);
    expect(doc.accessi_gestiti).toBeNull();
    expect(doc.avvisi.join(' ')).toContain('non indica l\'operatore');
  });

  test('un comune vede solo i propri operatori, con il carico nel proprio comune', async () => {
    const p = parametri({ dal: DAL, al: AL }, COMUNE_BREMBIO);
    const doc = documentoCarico(p, await leggiCarico(get(), DAL, AL), false);
    expect(doc.tabelle.find((t) => t.id === 'operatori')!.righe.map((r) => [r.operatore_id, r.comune, r.aperte])).toEqual([
      ['OP5', 'Brembio', 4],
      ['OP1', 'Brembio', 1],
    ]);
    // 1 4: median 2.5, threshold ceil(1.5) = 2nd = 4.
    expect(doc.distribuzione).toEqual({ operatori: 2, mediana: 2.5, quartile_superiore: 4, massimo: 4, nel_quartile_superiore: 1 });
    // OP3 works for Brembio; OP2 (Lodi, cartelle only in Lodi) is not shown.
    expect(doc.tabelle.find((t) => t.id === 'senza_email')!.righe.map((r) => r.operatore_id)).toEqual(['OP3']);
  });

  test('parametri: date sbagliate, periodo rovesciato, cluster e distretto insieme, un altro comune', () => {
    expect(() => parametri({ dal: '2025-02-30' })).toThrow(/non è una data del calendario/);
    expect(() => parametri({ dal: '01/01/2025' })).toThrow(/AAAA-MM-GG/);
    expect(() => parametri({ dal: '2026-01-02', al: '2026-01-01' })).toThrow(/viene dopo/);
    expect(() => parametri({ al: '2027-01-01' })).toThrow(/a oggi \(2026-11-22\)/);
    expect(() => parametri({ cluster: '6', distretto: 'Lodi' })).toThrow(/oppure un distretto/);
    expect(() => parametri({ cluster: '9' })).toThrow(/«cluster» può valere «6»/);
    expect(() => parametri({ anno: '2025' })).toThrow(/ammessi: dal, al, comune, cluster, distretto, formato, tabella/);
    expect(() => parametri({ comune: LODI }, COMUNE_BREMBIO)).toThrow(/solo il proprio comune/);
    expect(() => parametri({ distretto: 'Lodi' }, COMUNE_BREMBIO)).toThrow(/solo il proprio comune/);
    const d = parametri({});
    expect([d.dal, d.al]).toEqual(['2026-01-01', '2026-11-21']); // the SIZ extract's date and its year
    expect(parametri({ distretto: 'Casalpusterlengo' }).comuni.map((c) => c.codice_istat)).toEqual([BREMBIO]);
  });
});
