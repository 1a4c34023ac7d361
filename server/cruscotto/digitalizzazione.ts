import { Riservatezza, Esito, Valore } from '../web/suppression';
import type { ComuneReport, ReportDigitalizzazione } from '../riconciliazione/service';
import { METRICHE, Metrica } from '../riconciliazione/metriche';
import type { Contesto } from './contesto';
import { idComune, nodoComune, pieno, Visibilita } from './nodi';

/**
 * The census figures of every comune (SIZ count and declared value of the eight metrics of
 * metrics.md) as cells of the suppression problem: counts of cases and people, so 1-2 is `<3`
 * outside the UdP and the comune's own account, and the percentages built on them are hidden.
 * No sum of these counts is published (group figures are ratios), so there is nothing to
 * recover by subtraction and no secondary suppression is needed here.
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
}

export function censimentoVisibile(ctx: Contesto, v: Visibilita, report: ReportDigitalizzazione | null): CensimentoVisibile {
  const R = new Riservatezza(!v.udp);
  const perIstat = new Map<string, ComuneReport>((report?.comuni ?? []).map((c) => [c.codice_istat, c]));
  const ks = (i: string, m: string) => `siz|${m}|${i}`;
  const kd = (i: string, m: string) => `dich|${m}|${i}`;
  for (const c of ctx.comuni) {
    const r = perIstat.get(c.codice_istat);
    const p = pieno(v, nodoComune(c));
    for (const m of METRICHE) {
      R.cella(ks(c.codice_istat, m), r?.metriche[m].siz ?? 0, { pieno: p });
      // A missing declaration is not a count: it stays "not declared" (null).
      if (r?.metriche[m].dichiarato != null) R.cella(kd(c.codice_istat, m), r.metriche[m].dichiarato!, { pieno: p });
    }
  }
  const esito = R.risolvi();
  const dich = (i: string, m: Metrica): Valore => (R.has(kd(i, m)) ? esito.valore(kd(i, m)) : null);
  const hasD = (i: string, m: Metrica) => R.has(kd(i, m));
  const perc = (i: string, m: Metrica) => esito.derivato(perIstat.get(i)?.metriche[m].percentuale ?? null, hasD(i, m) ? [ks(i, m), kd(i, m)] : [ks(i, m)]);
  const vero = (i: string) => perIstat.get(i)?.metriche.cartelle_attive.percentuale ?? null;
  // What a reader can tell of a hidden digitalization: `<3` is 1 or 2, a shown number is itself.
  const limiti = (v: Valore): [number, number] => (typeof v === 'number' ? [v, v] : v === '<3' ? [1, 2] : [3, Infinity]);
  const posizione = (i: string, lista: ComuneReport[]): string | 'riservato' | null => {
    const mio = vero(i);
    if (mio === null) return null;
    const altri = lista.filter((c) => c.codice_istat !== i && vero(c.codice_istat) !== null);
    const testo = `${altri.filter((c) => vero(c.codice_istat)! > mio).length + 1}° su ${altri.length + 1}`;
    if (v.udp) return testo;
    if (typeof perc(i, 'cartelle_attive') !== 'number') return 'riservato';
    for (const c of altri) {
      if (typeof perc(c.codice_istat, 'cartelle_attive') === 'number') continue;
      const [s0, s1] = limiti(esito.valore(ks(c.codice_istat, 'cartelle_attive')));
      const [d0, d1] = limiti(dich(c.codice_istat, 'cartelle_attive'));
      const basso = d1 === Infinity ? 0 : Math.round((10000 * s0) / d1) / 100;
      const alto = Math.round((10000 * s1) / d0) / 100;
      if (alto > mio && basso <= mio) return 'riservato';
    }
    return testo;
  };
  return {
    posizione,
    esito,
    siz: (i, m) => esito.valore(ks(i, m)),
    dichiarato: dich,
    percentuale: perc,
    digit_tot: (i) => perc(i, 'cartelle_attive'),
    mancanti: (i) => esito.derivato(perIstat.get(i)?.mancanti_obiettivo ?? null, hasD(i, 'cartelle_attive') ? [ks(i, 'cartelle_attive'), kd(i, 'cartelle_attive')] : [ks(i, 'cartelle_attive')]),
    visibile: (i) => esito.visibile(ks(i, 'cartelle_attive')) && (!hasD(i, 'cartelle_attive') || esito.visibile(kd(i, 'cartelle_attive'))),
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
