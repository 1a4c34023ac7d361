import { Riservatezza, Esito, Valore } from '../web/suppression';
import type { ComuneReport, ReportDigitalizzazione } from '../riconciliazione/service';
import { METRICHE, Metrica } from '../riconciliazione/metriche';
import type { Contesto } from './contesto';
import { idComune, nodoComune, pieno, Visibilita } from './nodi';
import { mancantiPer } from '../scadenze/parole';

/**
 * The census figures of every comune (SIZ count and declared value of the eight metrics of
 * docs/metriche.md) as cells of the suppression problem: counts of cases and people, so 1-2 is `<3`
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
}

/**
 * `obiettivi`: per comune, the target "mancanti" is computed for (the deadline's own when a
 * deadline sets one, issue 14); without it, the report's figure at the configured target.
 */
export function censimentoVisibile(ctx: Contesto, v: Visibilita, report: ReportDigitalizzazione | null, obiettivi?: Map<string, number>): CensimentoVisibile {
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
  return {
    esito,
    siz: (i, m) => esito.valore(ks(i, m)),
    dichiarato: dich,
    percentuale: perc,
    digit_tot: (i) => perc(i, 'cartelle_attive'),
    mancanti: (i) => {
      const r = perIstat.get(i);
      const t = obiettivi?.get(i);
      const m = r && t != null ? mancantiPer(r.metriche.cartelle_attive.siz, r.metriche.cartelle_attive.dichiarato, t) : (r?.mancanti_obiettivo ?? null);
      return esito.derivato(m, hasD(i, 'cartelle_attive') ? [ks(i, 'cartelle_attive'), kd(i, 'cartelle_attive')] : [ks(i, 'cartelle_attive')]);
    },
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
