/**
 * The deliberate data-quality problems (docs/metriche.md, "Controlli di qualità dei dati"),
 * injected as a realistic sprinkling: each has a target count for the whole data set, spread over
 * the comuni in proportion to their population (a "credit" that grows comune by comune and is spent
 * at random eligible rows), so the totals are close to the targets and not all in one place. Every
 * injection is counted: the counts are the expected findings of the quality report.
 */
import { Rng } from './rng';

/** name -> [base target at the ambito scale, chance per eligible row while credit lasts]. */
export const INIEZIONI = {
  'comune_mancante:cartella_senza_codice': [8, 0.05],
  'comune_mancante:cartella_codice_sconosciuto': [4, 0.05],
  'comune_mancante:prestazione_senza_codice': [40, 0.01],
  'comune_mancante:prestazione_codice_sconosciuto': [15, 0.01],
  'comune_mancante:accesso_senza_codice': [40, 0.02],
  'comune_mancante:accesso_codice_sconosciuto': [10, 0.02],
  'cf_non_valido:membro_carattere_controllo': [12, 0.03],
  'cf_non_valido:membro_provvisorio_numerico': [3, 0.03],
  'cf_non_valido:prestazione_carattere_controllo': [15, 0.01],
  'cf_non_valido:accesso_carattere_controllo': [15, 0.02],
  'cf_mancante:prestazione_senza_cf': [300, 0.05],
  'date_incoerenti:chiusura_prima_di_apertura': [4, 0.1],
  'date_incoerenti:membro_fine_prima_di_inizio': [4, 0.1],
  'date_incoerenti:membro_fuori_date_cartella': [5, 0.1],
  'date_incoerenti:prestazione_nel_futuro': [3, 0.01],
  'date_incoerenti:accesso_nel_futuro': [3, 0.02],
  'date_incoerenti:chiusura_nel_futuro': [2, 0.2],
  'cartella_senza_membri:cartella_senza_membri': [6, 0.05],
  'membro_cartella_inesistente:membro_cartella_inesistente': [4, 0.05],
  'cartelle_duplicate:stesso_titolare_due_cartelle_aperte': [3, 0.05],
  'importi_incoerenti:importo_negativo': [5, 0.01],
  'importi_incoerenti:recuperi_oltre_costo': [4, 0.01],
  'importi_incoerenti:quota_piu_recuperi_diversa_da_costo': [6, 0.01],
  'codice_sconosciuto:codice_non_in_nomenclatore': [5, 0.01],
} as const satisfies Record<string, readonly [number, number]>;

export type Iniezione = keyof typeof INIEZIONI;

export class Problemi {
  private readonly credito = new Map<Iniezione, number>();
  private readonly target = new Map<Iniezione, number>();
  /** Injected rows (and other counted facts such as percentage-based missing fields). */
  readonly conteggi = new Map<string, number>();

  /** `fattore` scales the ambito targets (population of the data set / ambito population). */
  constructor(
    private readonly rng: Rng,
    fattore: number,
  ) {
    for (const [k, [t]] of Object.entries(INIEZIONI) as [Iniezione, readonly [number, number]][]) {
      this.target.set(k, Math.max(1, Math.round(t * fattore)));
      this.credito.set(k, 0);
    }
  }

  /** Credit added for a "dirty" comune beyond its share, taken back when the next comune starts. */
  private readonly extra = new Map<Iniezione, number>();
  private sporcizia = 1;

  /**
   * Adds this comune's share of every target. `sporcizia` > 1 makes it a "dirty" comune (the demo's,
   * GeneraOptions.sporchi): its share and the chance per eligible row are multiplied, and what it
   * leaves unspent of the extra does not pass to the next comune.
   */
  nuovoComune(quota: number, sporcizia = 1): void {
    for (const [k, x] of this.extra) this.credito.set(k, Math.max(0, this.credito.get(k)! - x));
    this.extra.clear();
    this.sporcizia = sporcizia;
    for (const [k, t] of this.target) {
      this.credito.set(k, this.credito.get(k)! + t * quota * this.moltiplica(k));
      if (this.moltiplica(k) > 1) this.extra.set(k, t * quota * (sporcizia - 1));
    }
  }

  /**
   * A dirty comune's multiplier, except for rows that leave it (no or an unknown comune: they
   * would fill "non attribuito", not the comune), for erogazioni without CF (a warning on nearly
   * every row otherwise) and for negative amounts (storni, recoveries over the cost): the privacy
   * audit's model takes every published figure as non-negative (test/riservatezza/modello.ts),
   * and a hidden negative sum makes it fail, so they stay as rare as in any comune.
   */
  private moltiplica(k: Iniezione): number {
    const esclusa = k.startsWith('comune_mancante:') || k === 'cf_mancante:prestazione_senza_cf' || k === 'importi_incoerenti:importo_negativo' || k === 'importi_incoerenti:recuperi_oltre_costo';
    return esclusa ? 1 : this.sporcizia;
  }

  /** Whether to inject `k` at this eligible row (and counts it when yes). */
  prova(k: Iniezione): boolean {
    // Spent from half a unit on (rounding), so that a target of 1 or 2 is not left to the
    // last comune, and the total never exceeds the target.
    const c = this.credito.get(k)!;
    if (c < 0.5 || !this.rng.chance(Math.min(1, INIEZIONI[k][1] * this.moltiplica(k)))) return false;
    this.credito.set(k, c - 1);
    this.conta(k);
    return true;
  }

  conta(k: string, n = 1): void {
    this.conteggi.set(k, (this.conteggi.get(k) ?? 0) + n);
  }

  /** Counts sorted by name, for the manifest and the result. */
  riepilogo(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const k of [...this.conteggi.keys()].sort()) out[k] = this.conteggi.get(k)!;
    return out;
  }
}
