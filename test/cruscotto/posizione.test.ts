/**
 * A comune's rank by digitalization (issue 14: Lodi was "20° su 56" for the office and "17° su
 * 52" on the mayor's printout). The rank is computed once, among every comune of the list with
 * a digitalization, on the true figures; an account outside the UdP sees the same number, or
 * `riservato` when a comune whose figures it cannot see could stand either above or below.
 */
import { censimentoVisibile } from '../../server/cruscotto/digitalizzazione';
import type { ComuneInfo, Contesto } from '../../server/cruscotto/contesto';
import { visibilita } from '../../server/cruscotto/nodi';
import type { ComuneReport, ReportDigitalizzazione } from '../../server/riconciliazione/report';
import { METRICHE } from '../../server/riconciliazione/metriche';

// SIZ / declared active cartelle: A 90%, F 75%, B 60%, E 50%, D 40%, C 20% (2 of 10: a `<3`
// outside the UdP and C itself), G without a declaration (no digitalization, no rank).
const CIFRE: Record<string, [number, number | null]> = { A: [90, 100], B: [60, 100], C: [2, 10], D: [40, 100], E: [10, 20], F: [30, 40], G: [5, null] };

const comuni: ComuneInfo[] = Object.keys(CIFRE).map((k, i) => ({ codice_istat: `09900${i}`, nome: `Comune ${k}`, popolazione: 2000, cluster: 5, distretto: 'Lodi' }));
const istat = (k: string) => comuni[Object.keys(CIFRE).indexOf(k)].codice_istat;
const contesto: Contesto = { comuni, perIstat: new Map(comuni.map((c) => [c.codice_istat, c])), distretti: ['Lodi'], cluster: [5], anni: [2026], dati_al: '2026-11-20', oggi: '2026-11-21' };

function riga(k: string): ComuneReport {
  const [siz, dich] = CIFRE[k];
  const pct = dich ? Math.round((10000 * siz) / dich) / 100 : null;
  const metriche = Object.fromEntries(METRICHE.map((m) => [m, m === 'cartelle_attive' ? { siz, dichiarato: dich, percentuale: pct } : { siz: 0, dichiarato: null, percentuale: null }])) as ComuneReport['metriche'];
  const c = contesto.perIstat.get(istat(k))!;
  return { codice_istat: c.codice_istat, nome: c.nome, cluster: 5, distretto: 'Lodi', data_riferimento: '2026-06-30', metriche, digit_tot: pct, digit_tutela: null, digit_cluster: null, digit_cluster_tutela: null, digit_distretto: null, mancanti_obiettivo: null, stato: pct === null ? 'senza_censimento' : pct >= 80 ? 'raggiunto' : 'in_corso', sopra_dichiarato: false, previsione_obiettivo: null, scadenza: null, a_rischio: false };
}

const report: ReportDigitalizzazione = { generato_il: '2026-11-21T02:00:00Z', estrazione_siz: '2026-11-20', obiettivo: 80, ambito: { digit_tot: 62.7, digit_tutela: null }, comuni: Object.keys(CIFRE).map(riga) };

const account = {
  udp: visibilita({ ruolo: 'udp' } as never),
  operatore: visibilita({ ruolo: 'operatore' } as never),
  'comune A': visibilita({ ruolo: 'comune', codice_istat: istat('A') } as never),
  'comune C': visibilita({ ruolo: 'comune', codice_istat: istat('C') } as never),
};

const ranghi = (v: (typeof account)[keyof typeof account]) => {
  const cens = censimentoVisibile(contesto, v, report);
  return Object.fromEntries(Object.keys(CIFRE).map((k) => [k, cens.posizione(istat(k), report.comuni)]));
};

describe('posizione in classifica per digitalizzazione', () => {
  test("l'Ufficio di Piano: tutti i comuni con una digitalizzazione, sui valori veri", () => {
    expect(ranghi(account.udp)).toEqual({ A: '1° su 6', F: '2° su 6', B: '3° su 6', E: '4° su 6', D: '5° su 6', C: '6° su 6', G: null });
  });

  test("l'operatore: lo stesso numero, o riservato per il comune nascosto e per quello che lo copre", () => {
    // C's 2 is `<3`; E (the smallest count of 3 or more, same cluster and distretto) is hidden
    // with it, so the ambito's 62,70% tells only C + E = 12. E lies between 49,9% and 55,1%
    // and C between 10% and 20%: A, F, B and D know for sure on which side both stand.
    expect(ranghi(account.operatore)).toEqual({ A: '1° su 6', F: '2° su 6', B: '3° su 6', E: 'riservato', D: '5° su 6', C: 'riservato', G: null });
  });

  test('il comune A: come l’operatore; il comune C vede tutto di sé e quindi tutte le posizioni', () => {
    expect(ranghi(account['comune A'])).toEqual(ranghi(account.operatore));
    // C sees its own 2 in full: nothing is hidden from it, every rank is the office's.
    expect(ranghi(account['comune C'])).toEqual(ranghi(account.udp));
  });

  test('per ogni account e ogni comune: lo stesso numero o riservato, mai un numero diverso', () => {
    const veri = ranghi(account.udp);
    for (const v of Object.values(account)) {
      for (const [k, p] of Object.entries(ranghi(v))) expect([veri[k], 'riservato']).toContain(p);
    }
  });

  test('un comune più piccolo nascosto che potrebbe stare sopra o sotto nasconde la posizione', () => {
    // D at 15% instead of 40%: C (10%-20%) could be above or below it.
    const altro = { ...report, comuni: report.comuni.map((c) => (c.codice_istat === istat('D') ? { ...c, metriche: { ...c.metriche, cartelle_attive: { siz: 15, dichiarato: 100, percentuale: 15 } } } : c)) };
    const cens = censimentoVisibile(contesto, account.operatore, altro);
    expect(cens.posizione(istat('D'), altro.comuni)).toBe('riservato');
    expect(censimentoVisibile(contesto, account.udp, altro).posizione(istat('D'), altro.comuni)).toBe('6° su 6');
  });
});
