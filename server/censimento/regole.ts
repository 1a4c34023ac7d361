import { CENSUS_METRICS, CensusMetric } from '../importazione/schede';
import { MSG, TESTI } from './testi';
import { decimale } from '../shared/formato';

/**
 * The census form's rules, without the database: validation (blocking, one message per field)
 * and plausibility warnings (shown, never blocking). docs/censimento.md lists them.
 */
export type Figure = Record<CensusMetric, number | null>;

export interface Esame {
  valori: Figure;
  note: string | null;
  /** Field -> message; empty when the values may be saved. */
  errori: Partial<Record<CensusMetric | 'note', string>>;
}

/** "12", "1.234" (thousands dot), " 7 " -> number; "" -> null (not known); anything else -> NaN. */
export function leggiIntero(raw: unknown): number | null {
  const s = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (s === '') return null;
  if (/^\d+$/.test(s) || /^\d{1,3}(\.\d{3})+$/.test(s)) {
    const n = Number(s.replace(/\./g, ''));
    return Number.isSafeInteger(n) && n <= 2_000_000_000 ? n : NaN;
  }
  return NaN;
}

/**
 * Reads and checks what was typed. `invio`: a submission (not a draft) also needs the active
 * cartelle, the figure a census row cannot be without.
 */
export function esamina(input: Record<string, unknown>, invio: boolean): Esame {
  const errori: Esame['errori'] = {};
  const valori = {} as Figure;
  for (const m of CENSUS_METRICS) {
    const v = leggiIntero(input[m]);
    if (v != null && Number.isNaN(v)) {
      errori[m] = MSG.intero;
      valori[m] = null;
    } else valori[m] = v;
  }
  const ok = (m: CensusMetric) => !errori[m] && valori[m] != null;
  if (ok('cartelle_attive_tutela') && ok('cartelle_attive') && valori.cartelle_attive_tutela! > valori.cartelle_attive!) errori.cartelle_attive_tutela = MSG.cartelleTutela;
  if (ok('utenti_in_carico_tutela') && ok('utenti_in_carico') && valori.utenti_in_carico_tutela! > valori.utenti_in_carico!) errori.utenti_in_carico_tutela = MSG.utentiTutela;
  if (ok('utenti_in_carico') && ok('cartelle_attive') && valori.utenti_in_carico! < valori.cartelle_attive!) errori.utenti_in_carico = MSG.utentiCartelle;
  if (ok('cartelle_aperte_periodo') && ok('cartelle_attive') && valori.cartelle_aperte_periodo! > valori.cartelle_attive!) errori.cartelle_aperte_periodo = MSG.nuoveAttive;
  if (invio && !errori.cartelle_attive && valori.cartelle_attive == null) errori.cartelle_attive = MSG.cartelleObbligatorie;
  const note = typeof input.note === 'string' ? input.note.trim() : '';
  if (note.length > 2000) errori.note = MSG.notaLunga;
  return { valori, note: note || null, errori };
}

export interface Avviso {
  campo: CensusMetric;
  messaggio: string;
}

/** What the warnings compare with. */
export interface Riferimenti {
  /** The comune's SIZ counts at E (reconciliation SQL). */
  siz: Partial<Figure>;
  /** The previous round's declaration, if any. */
  precedente: Partial<Figure> | null;
  /** utenti/cartelle over the ambito's other comuni (their latest declarations); null if too few. */
  intervallo: { min: number; max: number } | null;
}

const dec = (n: number) => decimale(n);

/** Plausibility warnings (docs/censimento.md, «Avvisi di plausibilità»): they never block. */
export function avvisi(v: Figure, r: Riferimenti): Avviso[] {
  const out: Avviso[] = [];
  for (const m of CENSUS_METRICS) {
    const d = v[m];
    if (d == null) continue;
    const s = r.siz[m];
    if (s != null && d < s) out.push({ campo: m, messaggio: `${TESTI[m].etichetta}: il valore dichiarato (${dec(d)}) è inferiore a quanto risulta in SIZ alla data di riferimento (${dec(s)}): la digitalizzazione supererebbe il 100%.` });
    const p = r.precedente?.[m];
    if (p != null && p > 0 && Math.abs(d - p) / p > 0.5) out.push({ campo: m, messaggio: `${TESTI[m].etichetta}: variazione di più del 50% rispetto al censimento precedente (da ${dec(p)} a ${dec(d)}).` });
  }
  if (r.intervallo && v.cartelle_attive != null && v.cartelle_attive > 0 && v.utenti_in_carico != null) {
    const q = v.utenti_in_carico / v.cartelle_attive;
    const { min, max } = r.intervallo;
    if (q < min || q > max) out.push({ campo: 'utenti_in_carico', messaggio: `Il rapporto tra utenti in carico e cartelle attive (${dec(q)}) è fuori dall'intervallo osservato negli altri comuni dell'ambito (da ${dec(min)} a ${dec(max)}).` });
  }
  return out;
}
