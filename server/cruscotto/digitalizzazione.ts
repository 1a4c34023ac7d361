import { Riservatezza, Esito, Valore } from '../web/suppression';
import type { ComuneReport, ReportDigitalizzazione } from '../riconciliazione/service';
import { METRICHE, Metrica } from '../riconciliazione/metriche';
import type { ComuneInfo, Contesto } from './contesto';
import { idComune, nodoComune, pieno, Visibilita } from './nodi';
import { mancantiPer } from '../scadenze/parole';

/**
 * The census figures of every comune (SIZ count and declared value of the eight metrics of
 * docs/metriche.md) as cells of the suppression problem: counts of cases and people, so 1-2 is `<3`
 * outside the UdP and the comune's own account, and the percentages built on them are hidden.
 * The digitalization of a cluster, a distretto and the ambito is a ratio of sums: with one
 * hidden count in it, the ratio gives that count back. So a hidden count always has a partner:
 * the SIZ count of another comune (at least 3, preferably of the same cluster and distretto)
 * is hidden too (`riservato`), and a group's ratio is shown only when the group has no hidden
 * count, or all of them with that partner: the ratio then tells only their sum, and the small
 * count can be 1 or 2 (docs/riservatezza.md, «Digitalizzazione»). Stato, forecast and "a
 * rischio" of a comune whose figures are hidden are hidden too.
 */
export interface CensimentoVisibile {
  esito: Esito;
  siz: (istat: string, m: Metrica) => Valore;
  dichiarato: (istat: string, m: Metrica) => Valore;
  percentuale: (istat: string, m: Metrica) => number | 'riservato' | null;
  digit_tot: (istat: string) => number | 'riservato' | null;
  mancanti: (istat: string) => number | 'riservato' | null;
  /** The cells of the headline are shown. */
  visibile: (istat: string) => boolean;
  /**
   * The rank of a comune among `lista` by digitalization: computed once on the true figures,
   * among every comune of the list that has one, so it is the same number for every account
   * (issue 14: "20° su 56" for the office and "17° su 52" for the mayor was wrong). Outside the
   * UdP it is hidden (`riservato`) when a comune whose figures are hidden could stand either
   * above or below: the rank would then tell on which side it is. Null: no digitalization.
   */
  posizione: (istat: string, lista: ComuneReport[]) => string | 'riservato' | null;
  /** The ratio of a group (cluster, distretto, ambito) for metric m: shown or `riservato`. */
  gruppo: (comuni: string[], m: Metrica, valore: number | null) => number | 'riservato' | null;
  /** The stato label of a comune, `riservato` when its digitalization is hidden. */
  stato: (c: ComuneReport) => string;
}

/** The metrics whose group ratios are published (clusters, distretti, ambito). */
const METRICHE_GRUPPO: Metrica[] = ['cartelle_attive', 'cartelle_attive_tutela'];

/**
 * `obiettivi`: per comune, the target "mancanti" is computed for (the deadline's own when a
 * deadline sets one, issue 14); without it, the report's figure at the configured target.
 */
export function censimentoVisibile(contesto: Contesto, v: Visibilita, report: ReportDigitalizzazione | null, obiettivi?: Map<string, number>): CensimentoVisibile {
  const R = new Riservatezza(!v.udp);
  const perIstat = new Map<string, ComuneReport>((report?.comuni ?? []).map((c) => [c.codice_istat, c]));
  const ks = (i: string, m: string) => `siz|${m}|${i}`;
  const kd = (i: string, m: string) => `dich|${m}|${i}`;
  for (const c of contesto.comuni) {
    const r = perIstat.get(c.codice_istat);
    const p = pieno(v, nodoComune(c));
    for (const m of METRICHE) {
      R.cella(ks(c.codice_istat, m), r?.metriche[m].siz ?? 0, { pieno: p });
      // A missing declaration is not a count: it stays "not declared" (null).
      if (r?.metriche[m].dichiarato != null) R.cella(kd(c.codice_istat, m), r.metriche[m].dichiarato!, { pieno: p });
    }
  }
  const esito = R.risolvi();
  // Partners: one more SIZ count hidden per metric when any count of it is hidden.
  const partner = new Map<Metrica, string | null>();
  const extra = new Set<string>();
  const piena = (i: string) => pieno(v, nodoComune(contesto.perIstat.get(i)!));
  const nascosti = (m: Metrica) => contesto.comuni.map((c) => c.codice_istat).filter((i) => !esito.visibile(ks(i, m)) || (R.has(kd(i, m)) && !esito.visibile(kd(i, m))));
  if (!v.udp) {
    for (const m of METRICHE_GRUPPO) {
      const h = nascosti(m);
      if (!h.length) continue;
      const primo = contesto.perIstat.get(h[0])!;
      const candidati = contesto.comuni
        .filter((c) => !h.includes(c.codice_istat) && !piena(c.codice_istat) && (perIstat.get(c.codice_istat)?.metriche[m].siz ?? 0) >= 3 && (perIstat.get(c.codice_istat)?.metriche[m].dichiarato ?? 0) > 0)
        .map((c) => ({ c, punti: (c.cluster === primo.cluster ? 2 : 0) + (c.distretto === primo.distretto ? 1 : 0), siz: perIstat.get(c.codice_istat)!.metriche[m].siz }))
        .sort((a, b) => b.punti - a.punti || a.siz - b.siz || a.c.codice_istat.localeCompare(b.c.codice_istat));
      const scelto = candidati[0]?.c.codice_istat ?? null;
      partner.set(m, scelto);
      if (scelto) extra.add(ks(scelto, m));
    }
  }
  const valore = (k: string): Valore => (extra.has(k) ? 'riservato' : esito.valore(k));
  const vis = (k: string) => !extra.has(k) && esito.visibile(k);
  const derivato = <T>(x: T, ingressi: string[]): T | 'riservato' => (x === null ? x : ingressi.every(vis) ? x : 'riservato');
  const dich = (i: string, m: Metrica): Valore => (R.has(kd(i, m)) ? valore(kd(i, m)) : null);
  const hasD = (i: string, m: Metrica) => R.has(kd(i, m));
  const perc = (i: string, m: Metrica) => derivato(perIstat.get(i)?.metriche[m].percentuale ?? null, hasD(i, m) ? [ks(i, m), kd(i, m)] : [ks(i, m)]);
  const visibileComune = (i: string) => vis(ks(i, 'cartelle_attive')) && (!hasD(i, 'cartelle_attive') || vis(kd(i, 'cartelle_attive')));
  const gruppo = (comuni: string[], m: Metrica, x: number | null): number | 'riservato' | null => {
    if (x === null || v.udp) return x;
    // Shown when the group holds none of the hidden counts, or all of them with their partner:
    // then it tells no more than the ambito's ratio does. A group with only some of them would
    // tell those apart from the others.
    const tutti = contesto.comuni.map((c) => c.codice_istat).filter((i) => !vis(ks(i, m)) || (hasD(i, m) && !vis(kd(i, m))));
    const dentro = tutti.filter((i) => comuni.includes(i));
    if (!dentro.length) return x;
    return partner.get(m) && dentro.length === tutti.length ? x : 'riservato';
  };
  const vero = (i: string) => perIstat.get(i)?.metriche.cartelle_attive.percentuale ?? null;
  // What a reader can tell of a hidden digitalization: `<3` is 1 or 2, a shown number is itself.
  const limiti = (v: Valore): [number, number] => (typeof v === 'number' ? [v, v] : v === '<3' ? [1, 2] : [1, Infinity]);
  // What the ambito's ratio (shown, rounded to 0.01 points) tells of the hidden SIZ counts of
  // active cartelle together: it is sum(siz) / sum(declared) over the comuni with a declaration
  // above 0, so their hidden counts add up to between r- x (declared, hidden ones at their
  // least) and r+ x (at their most), minus the shown counts. Each hidden count then lies
  // between that sum minus the others' largest and minus their smallest values.
  const m0: Metrica = 'cartelle_attive';
  const conDich = contesto.comuni.map((c) => c.codice_istat).filter((i) => (perIstat.get(i)?.metriche[m0].dichiarato ?? 0) > 0);
  const hs = conDich.filter((i) => !vis(ks(i, m0)));
  const rAmbito = report?.ambito.digit_tot ?? null;
  const dichLimiti = conDich.reduce<[number, number]>((t, i) => {
    const [a, b] = limiti(dich(i, m0));
    return [t[0] + a, t[1] + b];
  }, [0, 0]);
  const sizMostrati = conDich.filter((i) => vis(ks(i, m0))).reduce((t, i) => t + (perIstat.get(i)?.metriche[m0].siz ?? 0), 0);
  const sommaNota = !!partner.get(m0) && rAmbito !== null && dichLimiti[1] !== Infinity;
  const totBasso = sommaNota ? ((rAmbito! - 0.005) / 100) * dichLimiti[0] - sizMostrati - 1e-6 : -Infinity;
  const totAlto = sommaNota ? ((rAmbito! + 0.005) / 100) * dichLimiti[1] - sizMostrati + 1e-6 : Infinity;
  const limitiSiz = (i: string): [number, number] => {
    const [a, b] = limiti(valore(ks(i, m0)));
    if (!sommaNota || !hs.includes(i)) return [a, b];
    const altri = hs.filter((j) => j !== i).map((j) => limiti(valore(ks(j, m0))));
    const lo = totBasso - altri.reduce((t, x) => t + x[1], 0);
    const hi = totAlto - altri.reduce((t, x) => t + x[0], 0);
    return [Math.max(a, lo), Math.min(b, hi)];
  };
  const posizione = (i: string, lista: ComuneReport[]): string | 'riservato' | null => {
    const mio = vero(i);
    if (mio === null) return null;
    const altri = lista.filter((c) => c.codice_istat !== i && vero(c.codice_istat) !== null);
    const testo = `${altri.filter((c) => vero(c.codice_istat)! > mio).length + 1}° su ${altri.length + 1}`;
    if (v.udp) return testo;
    if (typeof perc(i, 'cartelle_attive') !== 'number') return 'riservato';
    for (const c of altri) {
      if (typeof perc(c.codice_istat, 'cartelle_attive') === 'number') continue;
      const [s0, s1] = limitiSiz(c.codice_istat);
      const [d0, d1] = limiti(dich(c.codice_istat, 'cartelle_attive'));
      const basso = d1 === Infinity ? 0 : Math.round((10000 * s0) / d1) / 100;
      const alto = Math.round((10000 * s1) / d0) / 100;
      if (alto > mio && basso <= mio) return 'riservato';
    }
    return testo;
  };
  return {
    posizione,
    gruppo,
    stato: (c) => (c.stato === 'senza_censimento' || visibileComune(c.codice_istat) ? ETICHETTE_STATO[c.stato] : 'riservato'),
    esito,
    siz: (i, m) => valore(ks(i, m)),
    dichiarato: dich,
    percentuale: perc,
    digit_tot: (i) => perc(i, 'cartelle_attive'),
    mancanti: (i) => {
      const r = perIstat.get(i);
      const t = obiettivi?.get(i);
      const m = r && t != null ? mancantiPer(r.metriche.cartelle_attive.siz, r.metriche.cartelle_attive.dichiarato, t) : (r?.mancanti_obiettivo ?? null);
      return derivato(m, hasD(i, 'cartelle_attive') ? [ks(i, 'cartelle_attive'), kd(i, 'cartelle_attive')] : [ks(i, 'cartelle_attive')]);
    },
    visibile: visibileComune,
  };
}

/**
 * The digitalization of a comune's cluster, its distretto and the ambito, as the account of
 * `cens` may see them (the partner rule of `gruppo`), with the peers of each group. The
 * scorecard's comparison table and the monthly digest both take them from here, so an email
 * never shows a group's ratio that the same comune's account reads as `riservato`.
 */
export function digitGruppi(contesto: Contesto, cens: Pick<CensimentoVisibile, 'gruppo'>, report: ReportDigitalizzazione | null, comune: ComuneInfo) {
  const r = report?.comuni.find((c) => c.codice_istat === comune.codice_istat) ?? null;
  const peers = (report?.comuni ?? []).filter((c) => c.cluster === comune.cluster);
  const peersD = (report?.comuni ?? []).filter((c) => c.distretto === comune.distretto);
  return {
    peers,
    peersD,
    cluster: cens.gruppo(peers.map((c) => c.codice_istat), 'cartelle_attive', r?.digit_cluster ?? null),
    distretto: cens.gruppo(peersD.map((c) => c.codice_istat), 'cartelle_attive', r?.digit_distretto ?? null),
    ambito: cens.gruppo(contesto.comuni.map((c) => c.codice_istat), 'cartelle_attive', report?.ambito.digit_tot ?? null),
  };
}

export const ETICHETTE_STATO: Record<string, string> = {
  raggiunto: 'Obiettivo raggiunto',
  in_corso: 'In corso',
  critico: 'Critico',
  senza_censimento: 'Senza censimento',
};

export const COLORI_STATO: Record<string, string> = {
  raggiunto: '#008055',
  in_corso: '#b36b00',
  critico: '#a61919',
  senza_censimento: '#8a9aab',
};

export const STATI_ORDINE = ['critico', 'in_corso', 'raggiunto', 'senza_censimento'];

export { idComune };
