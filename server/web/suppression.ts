/**
 * Small-count suppression (docs/metriche.md, "Oscuramento dei piccoli numeri"): the ONE place that
 * decides what a non-UdP account sees, for pages, API and CSV alike. docs/cruscotto.md
 * ("Riservatezza") explains the rule for people; this file implements it.
 *
 * A page builds a `Riservatezza` problem: every published figure is a cell (a count of people
 * or cases, or an amount that belongs to such a count), and every "total = sum of parts" a
 * reader can check is a relation, grouped by table (`struttura`). Then:
 *
 * 1. primary suppression: a count from 1 to 2 that the account does not see in full is shown
 *    as `<3`; 0 stays 0. When the account knows part of a total (`proprio`: its own comune's
 *    share of the ambito), a total whose remainder (total - own share) is 1 or 2 is hidden too,
 *    as `riservato`: the account could otherwise subtract its own figure;
 * 2. secondary suppression ("totals are suppressed too"): each table is a network (cells are
 *    edges, each relation a node where the edges balance). For every sensitive cell x we look
 *    for the cheapest cycle through x along which x can move to its other possible value
 *    (1 <-> 2) while every shown cell and every relation stays as published; the cells of that
 *    cycle are hidden (`riservato`). The cycle is the proof: the reader sees two tables that
 *    agree with everything on the page and differ in x, so x cannot be recovered by
 *    subtraction, by combining totals, or by bounds (a `<3` is 1 or 2, a hidden cell that is
 *    not `<3` is at least 3 because zeros are never hidden). Cost = value x weight of the cells
 *    newly hidden: comuni's cells weigh 1, totals and groups more, so comparisons survive;
 * 3. amounts (`segue`) share the fate of the count of their row (their tables mirror the
 *    counts', so the same cycles protect them);
 * 4. derived values (percentages, averages, chart points) are hidden when an input is.
 * 5. a check over all the tables of the page at once (`bloccate`): interval propagation of what
 *    the reader knows; a hidden count still pinned (five `<3` of 1 under a shared total of 5,
 *    which no cycle may move) makes the cheapest shown member of a pinning relation hidden too;
 *    when only zeros and `<3` pin it, a nearby `<3` is written `riservato` instead (at least 1:
 *    still true, but no longer at most 2).
 *
 * A cell shared by several tables (the ambito total) moves in none of them: each table is
 * protected on its own and hiding more never undoes a protection.
 * The UdP sees everything: a problem built with `attiva = false` returns the plain values.
 */

export const MENO_DI_TRE = '<3';
export const RISERVATO = 'riservato';
export type Valore = number | typeof MENO_DI_TRE | typeof RISERVATO | null;

export type TipoCella = 'conteggio' | 'importo';

export interface OpzioniCella {
  tipo?: TipoCella;
  /** The account sees this cell in full (its own comune, or the UdP): known, never hidden. */
  pieno?: boolean;
  /** The part of this total the account knows (its own comune's share). */
  proprio?: number;
  /** For amounts: the key of the count of the same row, whose fate it shares. */
  segue?: string;
  /** How much hiding this cell costs readers (default 1). */
  peso?: number;
  /**
   * Never published: a difference the reader knows is at least 0 (the accessi that are not
   * new), declared only so that "a part is at most its whole" enters the check of `bloccate`.
   */
  fantasma?: boolean;
}

interface Cella {
  key: string;
  value: number;
  tipo: TipoCella;
  pieno: boolean;
  proprio: number;
  segue?: number;
  peso: number;
  fantasma: boolean;
}

interface Relazione {
  t: number;
  p: number[];
  struttura: string;
}

const VISIBILE = 0;
const PRIMARIA = 1; // `<3`
const RESTO = 2; // hidden: total minus the account's own share is 1 or 2
const SECONDARIA = 3; // hidden to protect another cell
const TOTALE_PICCOLO = 4; // a total of 1 or 2: `riservato`, so that it does not bound its parts
const FANTASMA = 5; // never published (OpzioniCella.fantasma)

export class Riservatezza {
  private readonly celle: Cella[] = [];
  private readonly indice = new Map<string, number>();
  private readonly relazioni: Relazione[] = [];
  /** Relations with an unpublished difference (`fantasma`): only for the check of `bloccate`. */
  private readonly fantasmi: Relazione[] = [];

  /**
   * `attiva` = false for the UdP: nothing is suppressed. `imposte`: fates decided on another page
   * that publishes the same figures (a hidden cell keeps its label here, and stays hidden; see
   * unaSorte in server/cruscotto/documento.ts). Keys not declared here are ignored.
   */
  constructor(
    readonly attiva: boolean,
    private readonly imposte?: ReadonlyMap<string, Valore>,
  ) {}

  /** Declares a figure; declaring the same key again must give the same value. */
  cella(key: string, value: number, opts: OpzioniCella = {}): void {
    const i = this.indice.get(key);
    if (i !== undefined) {
      if (Math.abs(this.celle[i].value - value) > 1e-6) throw new Error(`cella ${key} dichiarata con due valori (${this.celle[i].value}, ${value})`);
      return;
    }
    let segue: number | undefined;
    if (opts.segue !== undefined) {
      segue = this.indice.get(opts.segue);
      if (segue === undefined) throw new Error(`cella ${key}: segue ${opts.segue}, non dichiarata`);
    }
    this.indice.set(key, this.celle.length);
    this.celle.push({ key, value, tipo: opts.tipo ?? 'conteggio', pieno: opts.pieno ?? false, proprio: opts.proprio ?? 0, segue, peso: opts.peso ?? 1, fantasma: opts.fantasma ?? false });
  }

  has(key: string): boolean {
    return this.indice.has(key);
  }

  /** total = sum(parts), in the table `struttura`. Every key must be declared first. */
  relazione(totale: string, parti: string[], struttura = 'tabella'): void {
    if (parti.length === 0) return;
    const r = { t: this.idx(totale), p: parti.map((k) => this.idx(k)), struttura };
    (r.p.some((i) => this.celle[i].fantasma) || this.celle[r.t].fantasma ? this.fantasmi : this.relazioni).push(r);
  }

  private idx(key: string): number {
    const i = this.indice.get(key);
    if (i === undefined) throw new Error(`cella non dichiarata: ${key}`);
    return i;
  }

  risolvi(): Esito {
    const stato = new Uint8Array(this.celle.length);
    if (this.attiva) {
      const fisse = new Map<number, Valore>();
      for (const [key, v] of this.imposte ?? []) {
        const i = this.indice.get(key);
        if (i !== undefined && typeof v !== 'number' && v !== null) fisse.set(i, v);
      }
      new Risolutore(this.celle, this.relazioni, stato, this.fantasmi, fisse).risolvi();
    }
    return new Esito(this.celle, this.indice, stato);
  }
}

/** What the account may see of each cell. */
export class Esito {
  constructor(
    private readonly celle: Cella[],
    private readonly indice: Map<string, number>,
    private readonly stato: Uint8Array,
  ) {}

  /** The value to show: the number, `<3` or `riservato`. */
  valore(key: string): Valore {
    const i = this.indice.get(key);
    if (i === undefined) throw new Error(`cella non dichiarata: ${key}`);
    const s = this.stato[i];
    if (s === VISIBILE) return this.celle[i].value;
    return s === PRIMARIA ? MENO_DI_TRE : RISERVATO;
  }

  visibile(key: string): boolean {
    const i = this.indice.get(key);
    return i !== undefined && this.stato[i] === VISIBILE;
  }

  /**
   * A value computed from cells (a percentage, an average, a chart point): shown only when
   * every input is shown; null stays null (not computable).
   */
  derivato(value: number | null, inputs: string[]): number | typeof RISERVATO | null {
    if (inputs.some((k) => !this.visibile(k))) return RISERVATO;
    return value;
  }

  /** The hidden cells (fantasmi apart) with what they show, for `Riservatezza`'s `imposte`. */
  nascoste(filtro: (key: string) => boolean = () => true): Map<string, Valore> {
    const out = new Map<string, Valore>();
    for (const [key, i] of this.indice) if (this.stato[i] !== VISIBILE && this.stato[i] !== FANTASMA && filtro(key)) out.set(key, this.valore(key));
    return out;
  }

  conteggi(): { primarie: number; secondarie: number } {
    let primarie = 0;
    let secondarie = 0;
    for (const s of this.stato) {
      if (s === PRIMARIA || s === RESTO || s === TOTALE_PICCOLO) primarie++;
      else if (s === SECONDARIA) secondarie++;
    }
    return { primarie, secondarie };
  }
}

/** The sum of `v` over `membri` without `escluso` (may be infinite). */
function otherSum(membri: number[], escluso: number, v: Float64Array): number {
  let s = 0;
  for (const m of membri) if (m !== escluso) s += v[m];
  return s;
}

/** A chart point: a number only when the figure is shown as a number. */
export function punto(v: Valore): number | null {
  return typeof v === 'number' ? v : null;
}

// ---------------------------------------------------------------------------------------------

/** One table as a network: node = relation (plus a ground node), edge = cell. */
interface Rete {
  /** For each cell of the table: its two ends and its signed coefficient at each. */
  archi: Map<number, { a: number; ca: number; b: number; cb: number }>;
  /** node -> cells incident to it */
  incidenti: Map<number, number[]>;
}

class Risolutore {
  constructor(
    private readonly celle: Cella[],
    private readonly relazioni: Relazione[],
    private readonly stato: Uint8Array,
    private readonly fantasmi: Relazione[] = [],
    /** Imposed fates (Riservatezza's `imposte`): hidden from the start, never shown or relabelled. */
    private readonly fisse: ReadonlyMap<number, Valore> = new Map(),
  ) {}

  /** Every relation, the unpublished differences' too (what the reader can use). */
  private get tutte(): Relazione[] {
    return this.fantasmi.length ? [...this.relazioni, ...this.fantasmi] : this.relazioni;
  }

  risolvi(): void {
    const { celle, stato } = this;
    // A total of 1 or 2 reads `riservato`, not `<3`: two `<3` parts under a `<3` total would
    // both be 1 (docs/riservatezza.md, «Che cosa vuol dire riservato»).
    const totali = new Set(this.relazioni.map((r) => r.t));
    for (let i = 0; i < celle.length; i++) {
      const c = celle[i];
      if (c.fantasma) {
        stato[i] = FANTASMA;
        continue;
      }
      if (c.tipo !== 'conteggio' || c.pieno) continue;
      if (c.value >= 1 && c.value <= 2) stato[i] = totali.has(i) ? TOTALE_PICCOLO : PRIMARIA;
      else if (c.proprio > 0 && c.value - c.proprio >= 1 && c.value - c.proprio <= 2) stato[i] = RESTO;
    }
    for (const [i, v] of this.fisse) {
      if (celle[i].pieno || celle[i].fantasma) continue;
      if (v === MENO_DI_TRE) stato[i] = PRIMARIA;
      else if (stato[i] === VISIBILE || stato[i] === PRIMARIA) stato[i] = SECONDARIA;
    }
    const perStruttura = new Map<string, Relazione[]>();
    for (const r of this.relazioni) {
      if (!perStruttura.has(r.struttura)) perStruttura.set(r.struttura, []);
      perStruttura.get(r.struttura)!.push(r);
    }
    // Cells of several tables stay put in all of them (a perturbation must not break a
    // relation of another table).
    const tabelle = new Map<number, Set<string>>();
    for (const r of this.relazioni) for (const m of [r.t, ...r.p]) (tabelle.get(m) ?? tabelle.set(m, new Set()).get(m)!).add(r.struttura);
    const condivisa = (i: number) => (tabelle.get(i)?.size ?? 0) > 1;

    for (const rels of perStruttura.values()) {
      const rete = this.rete(rels);
      const membri = new Set<number>(rels.flatMap((r) => [r.t, ...r.p]));
      for (const x of membri) {
        if (!this.sensibile(x)) continue;
        if (rete && !condivisa(x)) {
          const ciclo = this.ciclo(rete, x, condivisa);
          if (ciclo) {
            for (const i of ciclo) if (stato[i] === VISIBILE) stato[i] = SECONDARIA;
            continue;
          }
        }
        this.ripiego(rels, x);
      }
    }
    this.allinea();
    this.rete_di_sicurezza();
    this.bloccate();
    this.zeriFermi(perStruttura);
  }

  /**
   * What the reader knows of each count, by interval propagation over every relation of every
   * table at once (a shown figure is exact, a `<3` is 1-2, any other hidden count is at least 1
   * and at least the account's own share). `cieco`: as if every shown non-zero figure the
   * account does not know were hidden too (at least 3), i.e. what no further hiding can undo.
   */
  private intervalli(cieco = false): { lo: Float64Array; hi: Float64Array } {
    const { celle, stato } = this;
    const n = celle.length;
    const lo = new Float64Array(n);
    const hi = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const c = celle[i];
      const s = stato[i];
      if (c.fantasma) [lo[i], hi[i]] = [0, Infinity];
      else if (c.tipo === 'importo') {
        // Amounts: exact when shown, otherwise unbounded (they are protected through counts).
        [lo[i], hi[i]] = s === VISIBILE || c.pieno ? [c.value, c.value] : [-Infinity, Infinity];
      } else if (c.pieno || (s === VISIBILE && !(cieco && c.value !== 0))) [lo[i], hi[i]] = [c.value, c.value];
      else if (s === PRIMARIA) [lo[i], hi[i]] = [1, 2];
      else if (s === VISIBILE) [lo[i], hi[i]] = [Math.max(3, c.proprio), Infinity];
      else [lo[i], hi[i]] = [Math.max(1, c.proprio), Infinity];
    }
    const rels = this.tutte;
    for (let giro = 0; giro < 50; giro++) {
      let cambiato = false;
      const stringi = (i: number, l: number, h: number) => {
        if (l > lo[i] + 1e-9) ((lo[i] = l), (cambiato = true));
        if (h < hi[i] - 1e-9) ((hi[i] = h), (cambiato = true));
      };
      for (const r of rels) {
        // t - sum(p) = 0: each member's bound from the others'.
        let sLo = 0;
        let sHi = 0;
        for (const p of r.p) ((sLo += lo[p]), (sHi += hi[p]));
        if (Number.isNaN(sLo) || Number.isNaN(sHi)) continue;
        stringi(r.t, sLo, sHi);
        for (const p of r.p) {
          // others = sum(p) - p; guard the infinite sums (inf - inf).
          const altriLo = Number.isFinite(lo[p]) ? sLo - lo[p] : otherSum(r.p, p, lo);
          const altriHi = Number.isFinite(hi[p]) ? sHi - hi[p] : otherSum(r.p, p, hi);
          stringi(p, lo[r.t] - altriHi, hi[r.t] - altriLo);
        }
      }
      if (!cambiato) break;
    }
    return { lo, hi };
  }

  /** A hidden count the reader can pin: a `<3` that cannot be both 1 and 2, another hidden count with one possible value. */
  private bloccata(i: number, lo: Float64Array, hi: Float64Array): boolean {
    const c = this.celle[i];
    const s = this.stato[i];
    if (c.tipo !== 'conteggio' || c.pieno || c.fantasma || s === VISIBILE) return false;
    if (s === PRIMARIA) return lo[i] > 1 + 1e-9 || hi[i] < 2 - 1e-9;
    return Math.floor(hi[i] + 1e-9) - Math.ceil(lo[i] - 1e-9) < 1;
  }

  /**
   * Cycles protect each cell within its own table, and never through a cell shared with another
   * table (say, the ambito's total, which is also the total of an area list). When all the
   * other cells of a relation are 0 or `<3` at their bound (five comuni with 1 each and an
   * ambito of 5), only hiding that shared total protects them. So: propagate what the reader
   * knows across all the tables of the page and, while a hidden count is pinned (and hiding
   * could help at all), hide the cheapest shown member of a relation that pins it.
   */
  private bloccate(): void {
    const { celle, stato } = this;
    const perCella = new Map<number, Relazione[]>();
    for (const r of this.tutte) for (const m of [r.t, ...r.p]) (perCella.get(m) ?? perCella.set(m, []).get(m)!).push(r);
    // Nothing hidden, nothing to pin (the UdP, most pages of large ambiti).
    if (!celle.some((c, i) => c.tipo === 'conteggio' && stato[i] !== VISIBILE && !c.pieno && !c.fantasma)) return;
    let cieco: { lo: Float64Array; hi: Float64Array } | null = null;
    const rimediabile = (i: number) => {
      cieco ??= this.intervalli(true);
      return !this.bloccata(i, cieco.lo, cieco.hi);
    };
    for (let giro = 0; giro < celle.length; giro++) {
      const { lo, hi } = this.intervalli();
      let aggiunte = 0;
      for (let x = 0; x < celle.length; x++) {
        if (!this.bloccata(x, lo, hi)) continue;
        if (!rimediabile(x)) {
          // Only zeros and `<3` pin it (two comuni with `<3` and the rest 0 under a total that an
          // area list with one `<3` and the rest 0 bounds at 2: each comune is 1). Hiding more
          // shown figures cannot help; a `<3` nearby written `riservato` (at least 1, no upper
          // bound: still true) can.
          const promossa = this.promuovi(x, perCella);
          if (promossa === null) continue;
          stato[promossa] = TOTALE_PICCOLO;
          cieco = null;
          aggiunte++;
          break;
        }
        const rels = perCella.get(x) ?? [];
        // A relation pins x when x's bound from the others alone is already too tight.
        const stretta = (r: Relazione) => {
          const altri = [r.t, ...r.p].filter((m) => m !== x);
          const segno = (m: number) => (m === r.t || x === r.t ? 1 : -1);
          // x = sum over the others of sign * value (x total: sum of parts; x part: t - others).
          let l = 0;
          let h = 0;
          for (const m of altri) {
            const sg = x === r.t ? 1 : segno(m);
            l += sg > 0 ? lo[m] : -hi[m];
            h += sg > 0 ? hi[m] : -lo[m];
          }
          const s = stato[x];
          return s === PRIMARIA ? l > 1 + 1e-9 || h < 2 - 1e-9 : Math.floor(h + 1e-9) - Math.ceil(Math.max(l, 1) - 1e-9) < 1;
        };
        const candidati = (rs: Relazione[]) => rs.flatMap((r) => [r.t, ...r.p]).filter((m) => m !== x && stato[m] === VISIBILE && !celle[m].pieno && celle[m].value !== 0);
        let scelta = this.minimo(candidati(rels.filter(stretta)));
        if (scelta === null) scelta = this.minimo(candidati(rels));
        if (scelta === null) continue;
        stato[scelta] = SECONDARIA;
        aggiunte++;
        // One cell per pass: the next propagation sees its effect.
        break;
      }
      if (aggiunte === 0) return;
      this.allinea();
    }
  }

  /**
   * The `<3` whose upper bound pins x, to be written `riservato` instead: among the `<3` of the
   * relations that touch x's relations (two steps: x's comuni list, its total, the total's area
   * list), the cheapest whose change unpins x. Null when none does.
   */
  private promuovi(x: number, perCella: Map<number, Relazione[]>): number | null {
    const { celle, stato } = this;
    const vicini = new Set<number>();
    for (const r of perCella.get(x) ?? []) {
      for (const m of [r.t, ...r.p]) for (const r2 of perCella.get(m) ?? []) for (const q of [r2.t, ...r2.p]) vicini.add(q);
    }
    const candidati = [...vicini].filter((m) => m !== x && stato[m] === PRIMARIA && !celle[m].pieno && celle[m].tipo === 'conteggio' && !this.fisse.has(m)).sort((a, b) => celle[a].peso - celle[b].peso || a - b);
    for (const m of candidati) {
      stato[m] = TOTALE_PICCOLO;
      const { lo, hi } = this.intervalli();
      const libera = !this.bloccata(x, lo, hi) && !this.bloccata(m, lo, hi);
      stato[m] = PRIMARIA;
      if (libera) return m;
    }
    return null;
  }

  /**
   * A hidden amount of 0 that cannot rise while every shown figure and every relation stays as
   * published (whatever it would take from is a shown figure or a hidden amount of 0, and no
   * amount is negative) is 0 for any reader: it is shown as 0. That tells nothing new, and pins
   * no neighbour, since it was pinned already. Its count stays hidden.
   */
  private zeriFermi(perStruttura: Map<string, Relazione[]>): void {
    const { celle, stato } = this;
    for (const rels of perStruttura.values()) {
      const rete = this.rete(rels);
      if (!rete) continue;
      for (let giro = 0; giro < 3; giro++) {
        let cambiato = false;
        for (const x of new Set<number>(rels.flatMap((r) => [r.t, ...r.p]))) {
          const c = celle[x];
          if (c.tipo !== 'importo' || stato[x] === VISIBILE || Math.abs(c.value) >= 0.005 || this.fisse.has(x)) continue;
          if (this.ciclo(rete, x, () => false, true)) continue;
          stato[x] = VISIBILE;
          cambiato = true;
        }
        if (!cambiato) break;
      }
    }
  }

  /**
   * A count that must not be recoverable: hidden, with 1-2 that the account does not know
   * (what remains after its own share). Amounts are protected through their count.
   */
  private sensibile(i: number): boolean {
    const c = this.celle[i];
    const s = this.stato[i];
    const resto = c.value - c.proprio;
    return c.tipo === 'conteggio' && (s === PRIMARIA || s === RESTO || s === TOTALE_PICCOLO) && resto >= 1 && resto <= 2;
  }

  /**
   * The table as a network, when it is one: every cell in at most two of its relations, and a
   * sign per relation such that each cell enters one node with + and the other with -. Cells
   * of a single relation end at the ground node (-1). Null when the table is not a network.
   */
  private rete(rels: Relazione[]): Rete | null {
    const per = new Map<number, { r: number; coef: number }[]>();
    rels.forEach((r, ri) => {
      const add = (c: number, coef: number) => (per.get(c) ?? per.set(c, []).get(c)!).push({ r: ri, coef });
      add(r.t, 1);
      for (const p of r.p) add(p, -1);
    });
    const segno = new Map<number, number>();
    const adiacenti = new Map<number, { altra: number; prodotto: number }[]>();
    for (const occ of per.values()) {
      if (occ.length > 2) return null;
      if (occ.length === 2) {
        const [u, v] = occ;
        if (u.r === v.r) return null;
        // sign(u) * coef(u) = - sign(v) * coef(v)  =>  sign(v) = -sign(u) * coef(u) * coef(v)
        (adiacenti.get(u.r) ?? adiacenti.set(u.r, []).get(u.r)!).push({ altra: v.r, prodotto: -u.coef * v.coef });
        (adiacenti.get(v.r) ?? adiacenti.set(v.r, []).get(v.r)!).push({ altra: u.r, prodotto: -u.coef * v.coef });
      }
    }
    for (let start = 0; start < rels.length; start++) {
      if (segno.has(start)) continue;
      segno.set(start, 1);
      const coda = [start];
      while (coda.length) {
        const n = coda.pop()!;
        for (const { altra, prodotto } of adiacenti.get(n) ?? []) {
          const atteso = segno.get(n)! * prodotto;
          const dato = segno.get(altra);
          if (dato === undefined) {
            segno.set(altra, atteso);
            coda.push(altra);
          } else if (dato !== atteso) return null;
        }
      }
    }
    const archi = new Map<number, { a: number; ca: number; b: number; cb: number }>();
    const incidenti = new Map<number, number[]>();
    const tocca = (n: number, c: number) => (incidenti.get(n) ?? incidenti.set(n, []).get(n)!).push(c);
    for (const [c, occ] of per) {
      const [u, v] = occ;
      const ca = segno.get(u.r)! * u.coef;
      const arco = v ? { a: u.r, ca, b: v.r, cb: segno.get(v.r)! * v.coef } : { a: u.r, ca, b: -1, cb: -ca };
      archi.set(c, arco);
      tocca(arco.a, c);
      tocca(arco.b, c);
    }
    return { archi, incidenti };
  }

  /**
   * Whether cell i may move by d unseen: the new value must still read the same. A `<3` stays
   * in [1, 2]; a `riservato` stays >= 1 (zeros are never hidden, and a total of 1-2 reads riservato); no
   * count goes below the account's own share. Shown cells never move, nor the account's own;
   * amounts move freely (they have no `<3`).
   */
  private mobile(i: number, d: number): boolean {
    const c = this.celle[i];
    if (c.pieno) return false;
    if (c.tipo === 'importo') return true;
    const v = c.value + d;
    if (v < c.proprio) return false;
    if (this.stato[i] === PRIMARIA) return v >= 1 && v <= 2;
    // Already `riservato`, or shown now and about to be hidden (never a 0): `riservato` is any
    // count from 1 up.
    return c.value !== 0 && v >= 1;
  }

  /**
   * The cheapest cycle through x along which x moves to its other value: Dijkstra from one end
   * of x to the other, each cell entered with the flow that cancels the imbalance x leaves.
   */
  private ciclo(rete: Rete, x: number, condivisa: (i: number) => boolean, soloNascoste = false): number[] | null {
    const { celle, stato } = this;
    const ax = rete.archi.get(x)!;
    const cx = celle[x];
    // x moves to another possible value: a `<3` from 1 to 2 or from 2 to 1; a remainder-hidden
    // total up by one (down it could read `<3`).
    const s = this.stato[x] === PRIMARIA ? (cx.value === 1 ? 1 : -1) : 1;
    if (!soloNascoste && !this.mobile(x, s)) return null;
    // Only through cells already hidden, amounts never below 0 (zeriFermi).
    const puo = (e: number, d: number) => (soloNascoste ? stato[e] !== VISIBILE && !celle[e].pieno && (celle[e].tipo !== 'importo' || d > 0 || celle[e].value >= 0.005) : this.mobile(e, d));
    // x adds ca*s at node a: the path from a to b carries I = ca*s; a cell entered at node n
    // with coefficient c there takes d = -I*c.
    const I = ax.ca * s;
    const dist = new Map<number, number>([[ax.a, 0]]);
    const via = new Map<number, { cella: number; da: number }>();
    const fatti = new Set<number>();
    for (;;) {
      let n: number | null = null;
      let best = Infinity;
      for (const [k, d] of dist) {
        if (!fatti.has(k) && d < best) {
          best = d;
          n = k;
        }
      }
      if (n === null) return null;
      if (n === ax.b) break;
      fatti.add(n);
      for (const e of rete.incidenti.get(n) ?? []) {
        if (e === x || condivisa(e)) continue;
        const arco = rete.archi.get(e)!;
        const [coefQui, altro] = arco.a === n ? [arco.ca, arco.b] : [arco.cb, arco.a];
        if (fatti.has(altro)) continue;
        const d = -I * coefQui;
        if (!puo(e, d)) continue;
        const costo = stato[e] === VISIBILE ? Math.abs(celle[e].value) * celle[e].peso + 1e-3 : 0;
        const nd = best + costo;
        if (nd < (dist.get(altro) ?? Infinity)) {
          dist.set(altro, nd);
          via.set(altro, { cella: e, da: n });
        }
      }
    }
    const out: number[] = [];
    for (let n = ax.b; n !== ax.a; ) {
      const v = via.get(n)!;
      out.push(v.cella);
      n = v.da;
    }
    return out;
  }

  /**
   * Not a network, or no cycle: hide the smallest visible non-zero member of each relation of x
   * that has x as its only unknown (plain subtraction is what the spec rules out).
   */
  private ripiego(rels: Relazione[], x: number): void {
    for (const r of rels) {
      const membri = [r.t, ...r.p];
      if (!membri.includes(x)) continue;
      if (membri.some((m) => m !== x && this.stato[m] !== VISIBILE)) continue;
      const scelta = this.minimo(membri.filter((m) => m !== x));
      if (scelta !== null) this.stato[scelta] = SECONDARIA;
    }
  }

  private minimo(candidati: number[]): number | null {
    let best: number | null = null;
    let costo = Infinity;
    for (const m of candidati) {
      const c = this.celle[m];
      if (this.stato[m] !== VISIBILE || c.pieno || c.value === 0) continue;
      const k = Math.abs(c.value) * c.peso;
      if (k < costo) {
        costo = k;
        best = m;
      }
    }
    return best;
  }

  /** Amounts share the fate of their row's count, both ways. */
  private allinea(): void {
    const { celle, stato } = this;
    let cambiato = true;
    while (cambiato) {
      cambiato = false;
      for (let i = 0; i < celle.length; i++) {
        const s = celle[i].segue;
        // An amount the account knows (a column that is 0 for the whole ambito) stays shown.
        if (s === undefined || celle[i].pieno) continue;
        if (stato[s] !== VISIBILE && stato[i] === VISIBILE) {
          stato[i] = SECONDARIA;
          cambiato = true;
        } else if (stato[i] !== VISIBILE && stato[s] === VISIBILE && celle[s].value !== 0) {
          stato[s] = SECONDARIA;
          cambiato = true;
        }
      }
    }
  }

  /**
   * Last check over every relation of every table: no hidden sensitive cell (or amount of one)
   * may be the only unknown of a relation. Never expected to act after the cycles; kept so a
   * table declared in an unexpected shape still cannot leak by subtraction.
   */
  private rete_di_sicurezza(): void {
    for (let giro = 0; giro < this.celle.length; giro++) {
      let aggiunte = 0;
      for (const r of this.relazioni) {
        const membri = [r.t, ...r.p];
        const ignote = membri.filter((m) => this.stato[m] !== VISIBILE);
        if (ignote.length !== 1) continue;
        const x = ignote[0];
        const c = this.celle[x];
        const delicata = this.sensibile(x) || (c.segue !== undefined && this.sensibile(c.segue));
        if (!delicata) continue;
        const scelta = this.minimo(membri.filter((m) => m !== x));
        if (scelta !== null) {
          this.stato[scelta] = SECONDARIA;
          aggiunte++;
        }
      }
      this.allinea();
      if (aggiunte === 0) return;
    }
  }
}
