/**
 * Which comuni of the demo rise, stay flat or fall over the 24 months of back-filled history
 * (server/demo/storia.ts). Pure and seeded: the same seed and manifest give the same plan.
 */
import { Rng } from '../genera/rng';

/** Months of history before today's import (runs at oggi - 24 months ... oggi - 1 month). */
export const MESI_STORIA = 24;
/** The last months of the history that also run the quality checks (each costs about a second). */
export const MESI_QUALITA = 3;

export type Andamento = 'salita' | 'piatto' | 'calo';

export interface Profilo {
  codice_istat: string;
  tipo: Andamento;
  /** salita: share of the comune's backlog loaded during the history; calo: share of its active cartelle once duplicated. */
  quota: number;
  /** Month (0-23) after which the loading (or the cleaning) starts. */
  inizio: number;
}

/** What the plan needs of generazione.json's `atteso`. */
export interface Atteso {
  codice_istat: string;
  digit_tot: number | null;
  siz: { cartelle_attive: number };
}

/**
 * - One comune falls: the largest (by cartelle active at the census date) with a digitalization
 *   between 45% and 80%: it held duplicates, cleaned up in the last year.
 * - About a quarter stay flat (nothing loaded in two years), always including the largest comune
 *   below the target that is not the falling one, so the demo shows a flat comune "a rischio".
 * - The others rise: 30-70% of their backlog arrives over the months after a start in 0-12.
 * Comuni without a figure (no census, or nothing loaded) are left out: they have no line.
 */
export function pianoStoria(seme: number, atteso: readonly Atteso[]): Profilo[] {
  const rng = new Rng(seme, 'storia');
  const conCifra = [...atteso].filter((a) => a.digit_tot != null && a.digit_tot > 0 && a.siz.cartelle_attive > 0).sort((a, b) => a.codice_istat.localeCompare(b.codice_istat));
  const perGrandezza = [...conCifra].sort((a, b) => b.siz.cartelle_attive - a.siz.cartelle_attive || a.codice_istat.localeCompare(b.codice_istat));
  const calo = perGrandezza.find((a) => a.digit_tot! >= 45 && a.digit_tot! < 80);
  const piattoSotto = perGrandezza.find((a) => a !== calo && a.digit_tot! < 80);
  return conCifra.map((a): Profilo => {
    const r = { u: rng.next(), quota: 0.3 + 0.4 * rng.next(), inizio: rng.int(0, 12) };
    if (a === calo) return { codice_istat: a.codice_istat, tipo: 'calo', quota: 0.4, inizio: 12 };
    if (a === piattoSotto || r.u < 0.25) return { codice_istat: a.codice_istat, tipo: 'piatto', quota: 0, inizio: 0 };
    return { codice_istat: a.codice_istat, tipo: 'salita', quota: Math.round(r.quota * 100) / 100, inizio: r.inizio };
  });
}
