import type { EsitoQualita } from './esecuzione';
import { intero } from '../shared/formato';

const n = (v: number) => intero(v);

/** One line for people about a run (job log, after-import output). */
export function runLine(e: EsitoQualita): string {
  const confronto = e.nuovi == null ? 'primo controllo' : `${n(e.nuovi)} nuove, ${n(e.risolti ?? 0)} risolte`;
  const verdetto = e.verdetto === 'affidabile' ? 'dati SIZ affidabili' : `dati SIZ NON affidabili: ${e.motivo}`;
  return `Controlli di qualità: ${n(e.risultati)} segnalazioni (${n(e.errori)} errori, ${n(e.avvisi)} avvisi; ${confronto}); ${verdetto}.`;
}
