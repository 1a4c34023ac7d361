/**
 * A thin layer over HiGHS (the `highs` package, WebAssembly): one model per component of the
 * disclosure audit, built once, then minimised and maximised for one expression at a time
 * (only the objective changes, so the simplex restarts from the previous basis).
 */
import highsLoader, { Highs, Model } from 'highs';

let caricato: Promise<Highs> | null = null;
export function highs(): Promise<Highs> {
  caricato ??= highsLoader();
  return caricato;
}

/** A linear expression: column index -> coefficient. */
export type Espressione = Map<number, number>;

export interface Riga {
  termini: Espressione;
  min: number;
  max: number;
}

const OTTIMO = 7;
const INAMMISSIBILE = 8;
const ILLIMITATO = 10;

export class ProgrammaLineare {
  private readonly righe: Riga[] = [];
  private inf = 1e30;
  private modello: Model | null = null;
  private ncol = 0;

  constructor(private readonly h: Highs) {
    this.inf = h.infinity;
  }

  get infinito(): number {
    return this.inf;
  }

  colonne(n: number): void {
    this.ncol = n;
  }

  get numeroColonne(): number {
    return this.ncol;
  }

  riga(termini: Espressione, min: number, max: number): void {
    if (termini.size === 0) return;
    this.righe.push({ termini, min: min === -Infinity ? -this.inf : min, max: max === Infinity ? this.inf : max });
  }

  get numeroRighe(): number {
    return this.righe.length;
  }

  private costruisci(): Model {
    if (this.modello) return this.modello;
    const starts = [0];
    const indices: number[] = [];
    const values: number[] = [];
    for (const r of this.righe) {
      for (const [j, v] of r.termini) {
        indices.push(j);
        values.push(v);
      }
      starts.push(indices.length);
    }
    const m = this.h.createModel();
    m.options.set('output_flag', false);
    // Only the objective changes between solves: no presolve, so the simplex restarts from the last basis.
    m.options.set('presolve', 'off');
    m.passModel({
      numCols: this.ncol,
      numRows: this.righe.length,
      colCost: new Float64Array(this.ncol),
      colLower: new Float64Array(this.ncol),
      colUpper: new Float64Array(this.ncol).fill(this.inf),
      rowLower: this.righe.map((r) => r.min),
      rowUpper: this.righe.map((r) => r.max),
      matrix: { format: 'csr', numRows: this.righe.length, numCols: this.ncol, starts, indices, values },
    });
    this.modello = m;
    return m;
  }

  /** Whether the constraints admit a solution at all. */
  ammissibile(): boolean {
    if (this.ncol === 0) return true;
    const m = this.costruisci();
    m.changeColsCost({ kind: 'range', from: 0, to: this.ncol - 1 }, new Float64Array(this.ncol));
    m.run();
    return m.getModelStatus() === OTTIMO;
  }

  /**
   * The optimum of an expression (senso 1: smallest, -1: largest) and the solution reaching it
   * (±Infinity and no solution when unbounded).
   */
  ottimo(e: Espressione, senso: 1 | -1): { valore: number; soluzione: Float64Array | null } {
    if (e.size === 0) return { valore: 0, soluzione: null };
    const m = this.costruisci();
    const costi = new Float64Array(this.ncol);
    for (const [j, v] of e) costi[j] = v;
    m.changeColsCost({ kind: 'range', from: 0, to: this.ncol - 1 }, costi);
    m.changeObjectiveSense(senso as never);
    m.run();
    let s = m.getModelStatus();
    if (s !== OTTIMO && s !== ILLIMITATO && s !== INAMMISSIBILE) {
      // Unbounded-or-infeasible after presolve: ask again without presolve.
      m.options.set('presolve', 'on');
      m.run();
      m.options.set('presolve', 'off');
      s = m.getModelStatus();
    }
    if (s === OTTIMO) return { valore: m.getObjectiveValue(), soluzione: Float64Array.from(m.getSolution().colValue) };
    if (s === ILLIMITATO) return { valore: senso === 1 ? -Infinity : Infinity, soluzione: null };
    if (s === INAMMISSIBILE) throw new Error('vincoli incompatibili: il modello non descrive i dati pubblicati');
    throw new Error(`risolutore: stato ${s}`);
  }

  /** A solution of the constraints (or null when there is none). */
  soluzione(): Float64Array | null {
    if (this.ncol === 0) return new Float64Array(0);
    const m = this.costruisci();
    m.changeColsCost({ kind: 'range', from: 0, to: this.ncol - 1 }, new Float64Array(this.ncol));
    m.run();
    return m.getModelStatus() === OTTIMO ? Float64Array.from(m.getSolution().colValue) : null;
  }
}
