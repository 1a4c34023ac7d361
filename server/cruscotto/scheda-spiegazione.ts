import { mancantiPer } from '../scadenze/parole';
import type { BaseScheda } from './scheda-base';
import { dataIt, numIt } from './testi';

export interface Spiegazione {
  formula: string;
  testo: string;
  definizione: string;
}

const DEFINIZIONE =
  "Digitalizzazione = cartelle attive caricate in SIZ alla data del censimento (aperte a quella data, escluse quelle con soli pasti a domicilio o trasporti) diviso le cartelle attive dichiarate dal comune nel censimento, per 100. L'obiettivo è raggiunto quando la percentuale arriva all'obiettivo dell'ambito.";

/** Italian article before a percentage: "l'80%", "l'11%" but "il 75%". */
export function conArticolo(n: number, prep: 'per' | 'di'): string {
  const t = numIt(n);
  const elide = /^(8|11(\D|$)|1(\D|$))/.test(t);
  if (prep === 'per') return elide ? `per l'${t}%` : `per il ${t}%`;
  return elide ? `dell'${t}%` : `del ${t}%`;
}

/** "62% = 31 cartelle caricate su 50 dichiarate; ne servono altre 9 per l'80%". */
export function spiegazione(c: { siz: number; dichiarato: number | null; digit: number | null; mancanti: number | null; data_riferimento: string | null }, obiettivo: number): Spiegazione {
  if (c.dichiarato == null) return { formula: 'Digitalizzazione non calcolabile', testo: `Il comune non ha restituito il censimento: in SIZ ci sono ${c.siz} cartelle attive, ma manca il numero dichiarato con cui confrontarle.`, definizione: DEFINIZIONE };
  if (c.dichiarato === 0) return { formula: 'Digitalizzazione non calcolabile', testo: `Il censimento dichiara 0 cartelle attive: la percentuale non si può calcolare (in SIZ ce ne sono ${c.siz}).`, definizione: DEFINIZIONE };
  const necessarie = Math.ceil((obiettivo * c.dichiarato) / 100 - 1e-9);
  const caricate = c.siz === 1 ? '1 cartella caricata' : `${c.siz} cartelle caricate`;
  const formula = `${numIt(c.digit ?? 0)}% = ${caricate} su ${c.dichiarato} ${c.dichiarato === 1 ? 'dichiarata' : 'dichiarate'}`;
  const quando = c.data_riferimento ? ` (censimento al ${dataIt(c.data_riferimento)})` : '';
  const testo =
    c.mancanti && c.mancanti > 0
      ? `${formula}${quando}; ${c.mancanti === 1 ? 'ne serve ancora 1' : `ne servono altre ${c.mancanti}`} ${conArticolo(obiettivo, 'per')} (${necessarie} ${necessarie === 1 ? 'cartella' : 'cartelle'} su ${c.dichiarato}).`
      : `${formula}${quando}: l'obiettivo ${conArticolo(obiettivo, 'di')} (${necessarie} cartelle) è raggiunto.${c.siz > c.dichiarato ? ' In SIZ ci sono più cartelle di quelle dichiarate: il censimento o i dati vanno verificati.' : ''}`;
  return { formula, testo, definizione: DEFINIZIONE };
}

/** The box under the headline: how the percentage comes about, or why it is not shown. */
export function spiegazioneComune({ r, visibile, cens, istat, target }: BaseScheda): Spiegazione | null {
  if (r && visibile && typeof cens.digit_tot(istat) !== 'string') return spiegazione({ siz: r.metriche.cartelle_attive.siz, dichiarato: r.metriche.cartelle_attive.dichiarato, digit: r.digit_tot, mancanti: mancantiPer(r.metriche.cartelle_attive.siz, r.metriche.cartelle_attive.dichiarato, target), data_riferimento: r.data_riferimento }, target);
  if (r && !visibile) return { formula: 'Valori riservati', testo: 'I conteggi di questo comune sono inferiori a 3: per tutela della riservatezza sono visibili solo al comune stesso e all\'Ufficio di Piano.', definizione: DEFINIZIONE };
  return null;
}
