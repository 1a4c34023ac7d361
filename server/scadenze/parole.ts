import { dataBreve, dataLunga, daysBetween } from '../shared/calendario';
import { decimale } from '../shared/formato';

/**
 * How a deadline and its risk are said, in one place for every page and email (issue 14):
 * - a passed deadline is "Scaduta il 06/05/2026 (da 7 giorni)", never a negative count of days;
 * - "a rischio" says why, and claims a date only when there is a forecast (docs/metriche.md,
 *   "Storia, previsione e rischio");
 * - "mancanti" and "raggiunto" use the deadline's own target when a deadline sets one.
 */

/** The forecast rule of sql/queries/riconciliazione/previsione.sql, in words. */
export const NON_PREVEDIBILE = 'andamento non ancora prevedibile (servono almeno 3 rilevazioni in almeno 14 giorni)';
export const ANDAMENTO_FERMO = 'digitalizzazione ferma o in calo: al ritmo attuale l\'obiettivo non sarebbe raggiunto';
export const SENZA_CENSIMENTO = 'senza censimento il comune non può dimostrare di aver raggiunto l\'obiettivo';

export type EsitoPrevisione = 'prevista' | 'storia_insufficiente' | 'andamento_fermo' | null;

const giorni = (n: number) => (n === 1 ? '1 giorno' : `${n} giorni`);

/** "Scaduta il 06/05/2026 (da 7 giorni)"; null while the deadline has not passed. */
export function scadutaIl(data: string, oggi: string): string | null {
  const n = daysBetween(data, oggi);
  return n > 0 ? `Scaduta il ${dataBreve(data)} (da ${giorni(n)})` : null;
}

/** "tra 12 giorni", "domani", "oggi", or "Scaduta il ... (da N giorni)". */
export function quandoScade(data: string, oggi: string): string {
  const n = daysBetween(oggi, data);
  if (n > 1) return `tra ${n} giorni`;
  if (n === 1) return 'domani';
  if (n === 0) return 'oggi';
  return scadutaIl(data, oggi)!;
}

const pct = (v: number) => `${decimale(v)}%`;
/** "del 90%", but "dell'80%", "dell'11%", "dell'1%": the article as the number is read aloud. */
function delPct(v: number): string {
  const whole = String(Math.trunc(Math.abs(v)));
  return `${whole === '1' || whole === '11' || whole.startsWith('8') ? "dell'" : 'del '}${pct(v)}`;
}

/**
 * Why a comune is a rischio for its deadline. The rule (docs/metriche.md, "Storia, previsione e rischio") flags a comune with no
 * forecast too; then the sentence says why there is none and gives no date.
 */
export function motivoRischio(r: { digit_tot: number | null; esito: EsitoPrevisione; previsione: string | null; scadenza: string; obiettivo: number }): string {
  if (r.digit_tot == null) return `A rischio: ${SENZA_CENSIMENTO}`;
  if (r.previsione && r.esito !== 'storia_insufficiente' && r.esito !== 'andamento_fermo') {
    return `A rischio: al ritmo attuale l'obiettivo ${delPct(r.obiettivo)} sarebbe raggiunto il ${dataLunga(r.previsione)}, dopo la scadenza (${dataLunga(r.scadenza)})`;
  }
  if (r.esito === 'andamento_fermo') return `A rischio: ${ANDAMENTO_FERMO}`;
  if (r.esito === 'storia_insufficiente') return `A rischio: ${NON_PREVEDIBILE}`;
  return 'A rischio: nessuna previsione disponibile';
}

/**
 * The same reason in a few words, for a table of many comuni (the overview): the table's note
 * gives the whole sentences, so each row stays on one line on a phone and on paper.
 */
export function motivoBreve(r: { digit_tot: number | null; esito: EsitoPrevisione; previsione: string | null }): string {
  if (r.digit_tot == null) return 'senza censimento';
  if (r.previsione && r.esito !== 'storia_insufficiente' && r.esito !== 'andamento_fermo') return `prevista il ${dataBreve(r.previsione)}, dopo la scadenza`;
  if (r.esito === 'andamento_fermo') return 'ferma o in calo';
  if (r.esito === 'storia_insufficiente') return 'non ancora prevedibile';
  return 'nessuna previsione';
}

/** The forecast sentence of a reminder: a date only when there is one. */
export function frasePrevisione(r: { esito: EsitoPrevisione; previsione: string | null; scadenza: string }): string {
  if (r.previsione && r.esito !== 'storia_insufficiente' && r.esito !== 'andamento_fermo') {
    const dopo = r.previsione > r.scadenza;
    return `al ritmo attuale l'obiettivo sarebbe raggiunto il ${dataLunga(r.previsione)}${dopo ? ', dopo la scadenza' : ', in tempo per la scadenza'}.`;
  }
  if (r.esito === 'andamento_fermo') return `${ANDAMENTO_FERMO}.`;
  if (r.esito === 'storia_insufficiente') return `${NON_PREVEDIBILE}.`;
  return 'nessuna previsione disponibile.';
}

/**
 * Cartelle still to load for target `obiettivo` (%): max(0, ceil(obiettivo * d / 100) - s), as
 * the reconciliation computes it (docs/metriche.md). The target has at most two decimals, so
 * the product is an exact integer in hundredths; a quotient that is a whole number is exact in
 * floating point, and one that is not is at least 1/10000 away from it.
 */
export function mancantiPer(siz: number | null, dichiarato: number | null, obiettivo: number): number | null {
  if (siz == null || dichiarato == null || dichiarato <= 0) return null;
  const centesimi = Math.round(obiettivo * 100);
  return Math.max(0, Math.ceil((centesimi * dichiarato) / 10000) - siz);
}
