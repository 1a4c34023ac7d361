import { ordinate } from '../fatti/leggi';

/**
 * Rows of a query kept as columns: each text column as indexes into its own list of distinct
 * values, each number column as an Int32Array (whole numbers) or a Float64Array. «Anni a
 * confronto» keeps the raw rows of the years read from the facts (server/cruscotto/anni-pagine.ts):
 * as objects a region's years of three families weigh ~260 MB of heap, as columns ~27 MB (26.7 MB for the 11 years of the regional bench), so
 * every year fits in the store and the scorecard of the next comune reads nothing from the
 * database (docs/bench.md, memory).
 *
 * `righe()` gives the rows back as objects equal to the ones kept, in the same order (or in
 * `ordine`), except that a number column holds numbers where the driver gave numeric texts (PostgreSQL's bigint and
 * numeric): every reader of these rows takes them through Number() (anni-dati.ts). A number
 * column with a value that is not a finite number or such a text (null included) is kept as it
 * came, so nothing is ever changed silently.
 */
export class RigheCompatte<T extends object> {
  private constructor(
    private readonly n: number,
    private readonly testi: { nome: keyof T; valori: unknown[]; indici: Uint16Array | Uint32Array }[],
    private readonly numeri: { nome: keyof T; valori: Float64Array | Int32Array | unknown[] }[],
  ) {}

  /**
   * `ordine`: the rows are kept in the order ordinate (server/fatti/leggi.ts) gives them by those
   * columns (a stable sort), so that the reader's ordinate finds them in order and only checks it.
   */
  static da<T extends object>(lette: readonly T[], testi: readonly (keyof T)[], numeri: readonly (keyof T)[], ordine: readonly (keyof T)[] = []): RigheCompatte<T> {
    const righe = ordine.length ? ordinate(lette, ...ordine) : lette;
    const n = righe.length;
    const colonneTesto = testi.map((nome) => {
      const posto = new Map<unknown, number>();
      const valori: unknown[] = [];
      const indici = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        const v = righe[i][nome];
        let k = posto.get(v);
        if (k === undefined) {
          posto.set(v, (k = valori.length));
          valori.push(v);
        }
        indici[i] = k;
      }
      // Two bytes an index when the distinct values allow it (comuni, areas, codes: always).
      return { nome, valori, indici: valori.length <= 0xffff ? Uint16Array.from(indici) : indici };
    });
    const colonneNumero = numeri.map((nome) => {
      const valori = new Float64Array(n);
      let interi = true;
      for (let i = 0; i < n; i++) {
        const v = righe[i][nome] as unknown;
        const x = typeof v === 'number' ? v : typeof v === 'string' && NUMERO.test(v) ? Number(v) : NaN;
        if (!Number.isFinite(x)) return { nome, valori: righe.map((r) => r[nome] as unknown) };
        valori[i] = x;
        if (interi && !(Number.isInteger(x) && Math.abs(x) <= 0x7fffffff && !Object.is(x, -0))) interi = false;
      }
      // Counts in four bytes each, amounts with cents in eight.
      return { nome, valori: interi ? Int32Array.from(valori) : valori };
    });
    return new RigheCompatte<T>(n, colonneTesto, colonneNumero);
  }

  get length(): number {
    return this.n;
  }

  /** The rows as objects again (new ones at each call: the caller may keep or change them). */
  righe(): T[] {
    const out: T[] = new Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const r: Record<string, unknown> = {};
      for (const c of this.testi) r[c.nome as string] = c.valori[c.indici[i]];
      for (const c of this.numeri) r[c.nome as string] = c.valori[i];
      out[i] = r as T;
    }
    return out;
  }
}

/** A numeric text whose Number() is the value (PostgreSQL's bigint, numeric): digits, a sign, a point. */
const NUMERO = /^-?\d+(\.\d+)?$/;
