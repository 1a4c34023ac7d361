/**
 * The disclosure audit (docs/riservatezza.md, "La verifica"): what a reader can work out from
 * everything an account may fetch, solved as linear programs.
 *
 * Every published figure is a sum of records of one "family" (accessi of a year, erogazioni of
 * a year, the census of a day...) that match a filter on the family's attributes (comune, month,
 * area, motivo...). The unknowns are the counts of records at the finest grain the published
 * figures need: the attributes that figures restrict together form a graph, made chordal, and
 * each of its cliques gets one unknown per combination of values (for a chordal graph, tables
 * of such marginals that agree where they overlap are exactly the ones some set of records
 * produces, so nothing is lost by not using the full cross product). A viewer's own comune is
 * a separate sub-population, so its own figures, which it sees in full, enter as they are.
 *
 * Constraints: a shown number is an equality, `<3` is between 1 and 2, a hidden count
 * (`riservato`) is at least 3, nothing is negative, a listed order is a chain of inequalities,
 * a category missing from a complete list is 0, a rounded ratio of sums is a pair of
 * inequalities. For each hidden figure the smallest and largest value are found by LP: a `<3`
 * is protected when its interval holds both 1 and 2; any other hidden figure when it holds
 * more than one value.
 */
import type { Highs } from 'highs';
import { Espressione, highs, ProgrammaLineare } from './lp';

export type Mostrato = number | string | null;

export interface Famiglia {
  nome: string;
  /** Families whose figures are tied by a constraint share a component (one LP). */
  componente: string;
  tipo: 'conteggio' | 'importo';
  /** Every attribute with its complete list of values. */
  attributi: Record<string, readonly string[]>;
}

/** Records of a family matching the filter (attribute -> allowed values; missing = any). */
export interface Def {
  fam: string;
  filtro: Record<string, readonly string[]>;
}

export interface Fuga {
  tipo: string;
  dove: string;
  dettaglio: string;
}

export interface Risultato {
  celleNascoste: number;
  occorrenzeNascoste: number;
  celleMostrate: number;
  occorrenze: number;
  componenti: number;
  programmi: number;
  fughe: Fuga[];
  millisecondi: number;
}

interface Cella {
  def: Def;
  chiave: string;
  mostrato: Mostrato;
  dove: string[];
  verita?: number;
}

interface Vincolo {
  termini: { def: Def; coef: number }[];
  min: number;
  max: number;
}

export const MENO_DI_TRE = '<3';
export const RISERVATO = 'riservato';

export function chiaveDef(d: Def): string {
  const parti = Object.keys(d.filtro)
    .sort()
    .map((k) => `${k}=${[...d.filtro[k]].sort().join(',')}`);
  return `${d.fam}{${parti.join(';')}}`;
}

/** A number beats `<3`, which beats `riservato`: what the reader learns from all places together. */
function piuInformativo(a: Mostrato, b: Mostrato): Mostrato {
  const rango = (x: Mostrato) => (typeof x === 'number' ? 3 : x === MENO_DI_TRE ? 2 : x === RISERVATO ? 1 : 0);
  return rango(b) > rango(a) ? b : a;
}

export class Audit {
  private readonly famiglie = new Map<string, Famiglia>();
  private readonly celle = new Map<string, Cella>();
  private readonly vincoli: { comp: string; v: Vincolo; dove: string }[] = [];
  private readonly fughe: Fuga[] = [];
  private readonly rangi: { comp: string; dove: string; sopra: { num: Def; den: Def; soglia: number }[] }[] = [];
  private occorrenze = 0;

  /** `proprio`: the viewer's own comune (comune role), whose figures it sees in full. */
  constructor(readonly proprio: string | null) {}

  famiglia(f: Famiglia): void {
    const g = this.famiglie.get(f.nome);
    if (!g) {
      this.famiglie.set(f.nome, { ...f, attributi: Object.fromEntries(Object.entries(f.attributi).map(([k, v]) => [k, [...new Set(v)]])) });
      return;
    }
    for (const [k, v] of Object.entries(f.attributi)) g.attributi[k] = [...new Set([...(g.attributi[k] ?? []), ...v])];
  }

  haFamiglia(nome: string): boolean {
    return this.famiglie.has(nome);
  }

  private normalizza(d: Def): Def {
    const f = this.famiglie.get(d.fam);
    if (!f) throw new Error(`famiglia non dichiarata: ${d.fam}`);
    const filtro: Record<string, readonly string[]> = {};
    for (const [k, v] of Object.entries(d.filtro)) {
      const dom = f.attributi[k];
      if (!dom) throw new Error(`${d.fam}: attributo ${k} sconosciuto`);
      for (const x of v) if (!dom.includes(x)) throw new Error(`${d.fam}: valore ${k}=${x} fuori dal dominio`);
      const u = [...new Set(v)];
      if (u.length < dom.length) filtro[k] = u;
    }
    return { fam: d.fam, filtro };
  }

  /** A published figure as the reader sees it; `verita` (tests only) checks the model. */
  pubblica(def: Def, mostrato: Mostrato, dove: string, verita?: number): void {
    const d = this.normalizza(def);
    const k = chiaveDef(d);
    this.occorrenze++;
    const c = this.celle.get(k);
    if (!c) {
      this.celle.set(k, { def: d, chiave: k, mostrato, dove: [dove], verita });
      return;
    }
    if (typeof c.mostrato === 'number' && typeof mostrato === 'number' && Math.abs(c.mostrato - mostrato) > 0.005) {
      this.fughe.push({ tipo: 'incoerenza', dove, dettaglio: `${k}: ${mostrato} qui, ${c.mostrato} in ${c.dove[0]}` });
    }
    const vecchio = c.mostrato;
    c.mostrato = piuInformativo(c.mostrato, mostrato);
    if (typeof c.mostrato === 'number' && typeof vecchio !== 'number' && (vecchio === MENO_DI_TRE || vecchio === RISERVATO)) {
      this.fughe.push({ tipo: 'incoerenza', dove: c.dove[0], dettaglio: `${k}: «${vecchio}» qui, ${c.mostrato} in ${dove}` });
    } else if (typeof mostrato !== 'number' && (mostrato === MENO_DI_TRE || mostrato === RISERVATO) && typeof c.mostrato === 'number') {
      this.fughe.push({ tipo: 'incoerenza', dove, dettaglio: `${k}: «${mostrato}» qui, ${c.mostrato} in ${c.dove[0]}` });
    }
    c.dove.push(dove);
    if (verita !== undefined) c.verita = verita;
  }

  /** A figure that is not published but appears in a constraint (a category off a top list). */
  private cella(def: Def): Cella {
    const d = this.normalizza(def);
    const k = chiaveDef(d);
    let c = this.celle.get(k);
    if (!c) this.celle.set(k, (c = { def: d, chiave: k, mostrato: null, dove: [] }));
    return c;
  }

  /** sum(coef * figure) between min and max (an order, a top list, a complete list). */
  vincolo(termini: { def: Def; coef: number }[], min: number, max: number, dove: string): void {
    const comps = new Set(termini.map((t) => this.famiglie.get(t.def.fam)!.componente));
    if (comps.size !== 1) throw new Error(`vincolo tra componenti diverse (${[...comps].join(', ')}): ${dove}`);
    const norm = termini.map((t) => ({ def: this.cella(t.def).def, coef: t.coef }));
    this.vincoli.push({ comp: [...comps][0], v: { termini: norm, min, max }, dove });
  }

  /** a >= b + scarto (rows of a table sorted by a value). */
  ordine(a: Def, b: Def, scarto: number, dove: string): void {
    this.vincolo([{ def: a, coef: 1 }, { def: b, coef: -1 }], scarto, Infinity, dove);
  }

  /** A percentage of sums rounded to `decimali`: round(100 * sum(num) / sum(den)) = valore. */
  rapporto(num: Def[], den: Def[], valore: number, dove: string, decimali = 2): void {
    const mezzo = 0.5 * 10 ** -decimali;
    const t = (lo: number) => [...num.map((d) => ({ def: d, coef: 100 })), ...den.map((d) => ({ def: d, coef: -lo }))];
    this.vincolo(t(valore - mezzo), 0, Infinity, dove);
    this.vincolo(t(valore + mezzo), -Infinity, 0, dove);
  }

  /**
   * A rank shown to the reader: every comune whose place relative to the ranked one is not
   * already determined by what is published makes the rank tell something new. `sopra`: for
   * each peer with hidden figures, "peer above" as 100 * num - soglia * den >= 0.
   */
  rango(sopra: { num: Def; den: Def; soglia: number }[], dove: string): void {
    if (!sopra.length) return;
    const comp = this.famiglie.get(sopra[0].num.fam)!.componente;
    for (const s of sopra) {
      this.cella(s.num);
      this.cella(s.den);
    }
    this.rangi.push({ comp, dove, sopra });
  }

  /** A breach of a rule that needs no LP (a percentage shown over a hidden count...). */
  violazione(tipo: string, dove: string, dettaglio: string): void {
    this.fughe.push({ tipo, dove, dettaglio });
  }

  async esegui(opts: { verificaVerita?: boolean; avanzamento?: (t: string) => void } = {}): Promise<Risultato> {
    const t0 = Date.now();
    const h = await highs();
    const perComp = new Map<string, Cella[]>();
    for (const c of this.celle.values()) {
      const comp = this.famiglie.get(c.def.fam)!.componente;
      (perComp.get(comp) ?? perComp.set(comp, []).get(comp)!).push(c);
    }
    let programmi = 0;
    let celleNascoste = 0;
    let occorrenzeNascoste = 0;
    let celleMostrate = 0;
    for (const [comp, celle] of perComp) {
      const nascoste = celle.filter((c) => c.mostrato === MENO_DI_TRE || c.mostrato === RISERVATO);
      celleMostrate += celle.filter((c) => typeof c.mostrato === 'number').length;
      const rangi = this.rangi.filter((r) => r.comp === comp);
      const restiDaVerificare = this.proprio ? celle.filter((c) => typeof c.mostrato === 'number' && this.tipo(c) === 'conteggio' && this.haParteAltrui(c.def) && this.haParteProprio(c.def)) : [];
      if (!nascoste.length && !rangi.length && !restiDaVerificare.length) continue;
      celleNascoste += nascoste.length;
      occorrenzeNascoste += nascoste.reduce((a, c) => a + c.dove.length, 0);
      const m = new ModelloComponente(this, comp, celle, this.vincoli.filter((v) => v.comp === comp).map((v) => v.v));
      const lp = m.programma(h);
      programmi++;
      opts.avanzamento?.(`${comp}: ${lp.numeroColonne} incognite, ${lp.numeroRighe} vincoli, ${nascoste.length} celle nascoste`);
      if (opts.verificaVerita && nascoste.every((c) => c.verita !== undefined)) {
        const prova = m.programma(h);
        for (const c of nascoste) {
          const e = m.espressione(c.def);
          prova.riga(e, c.verita!, c.verita!);
        }
        if (!prova.ammissibile()) throw new Error(`${comp}: i valori veri non soddisfano i vincoli del modello (modello sbagliato)`);
      }
      const prima = lp.soluzione();
      if (!prima) throw new Error(`${comp}: vincoli incompatibili (modello sbagliato o dati incoerenti)${this.colpevole(h, comp, celle)}`);
      // Every solution found shows values the hidden cells can take together: a cell is settled
      // as soon as the solutions seen so far prove it protected, so most need no LP of their own.
      const espr = nascoste.map((c) => m.espressione(c.def));
      const basso = espr.map(() => Infinity);
      const alto = espr.map(() => -Infinity);
      const guarda = (sol: Float64Array | null) => {
        if (!sol) return;
        espr.forEach((e, i) => {
          let x = 0;
          for (const [j, v] of e) x += v * sol[j];
          if (x < basso[i]) basso[i] = x;
          if (x > alto[i]) alto[i] = x;
        });
      };
      guarda(prima);
      const eps = 1e-6;
      const protetta = (i: number) => {
        const c = nascoste[i];
        if (this.tipo(c) === 'importo') return alto[i] - basso[i] >= 0.005;
        if (c.mostrato === MENO_DI_TRE) return basso[i] <= 1 + eps && alto[i] >= 2 - eps;
        return alto[i] - basso[i] >= 1 - eps;
      };
      // First in batches: push all unsettled cells up together, then down, while that settles some.
      // (`<3` cells only: the others are usually unbounded above, settled by one LP each.)
      const bisognoSu = (i: number) => !protetta(i) && nascoste[i].mostrato === MENO_DI_TRE && alto[i] < 2 - eps;
      const bisognoGiu = (i: number) => !protetta(i) && nascoste[i].mostrato === MENO_DI_TRE && basso[i] > 1 + eps;
      for (let giro = 0; giro < 6; giro++) {
        let progresso = false;
        for (const [bisogno, senso] of [[bisognoSu, -1], [bisognoGiu, 1]] as const) {
          const quali = nascoste.map((_, i) => i).filter(bisogno);
          if (!quali.length) continue;
          const prima = quali.filter((i) => !protetta(i)).length;
          const somma: Espressione = new Map();
          for (const i of quali) for (const [j, v] of espr[i]) somma.set(j, (somma.get(j) ?? 0) + v / Math.max(1, espr[i].size));
          const r = lp.ottimo(somma, senso);
          guarda(r.soluzione);
          opts.avanzamento?.(`  ${comp}: gruppo di ${quali.length} celle, ${quali.filter((i) => !protetta(i)).length} ancora da verificare`);
          if (quali.filter((i) => !protetta(i)).length < prima) progresso = true;
        }
        if (!progresso) break;
      }
      let singoli = 0;
      for (let i = 0; i < nascoste.length; i++) {
        if (protetta(i)) continue;
        if (++singoli % 50 === 0) opts.avanzamento?.(`  ${comp}: ${i} di ${nascoste.length} celle`);
        const su = lp.ottimo(espr[i], -1);
        if (su.valore > alto[i]) alto[i] = su.valore;
        guarda(su.soluzione);
        if (protetta(i)) continue;
        const giu = lp.ottimo(espr[i], 1);
        if (giu.valore < basso[i]) basso[i] = giu.valore;
        guarda(giu.soluzione);
        const c = nascoste[i];
        const esito = giudica(c.mostrato as string, this.tipo(c), giu.valore, su.valore);
        if (esito) for (const dove of c.dove) this.fughe.push({ tipo: esito, dove, dettaglio: `${c.chiave}: tra ${fmt(giu.valore)} e ${fmt(su.valore)}` });
      }
      for (const c of restiDaVerificare) {
        const e = m.espressione(c.def, 'A');
        const min = lp.ottimo(e, 1).valore;
        const max = lp.ottimo(e, -1).valore;
        const resto = (c.mostrato as number) - min;
        if (Math.abs(max - min) < 1e-6 && resto >= 1 - 1e-6 && resto <= 2 + 1e-6) {
          for (const dove of c.dove) this.fughe.push({ tipo: 'resto', dove, dettaglio: `${c.chiave}: ${c.mostrato} meno la quota propria ${fmt(min)} = ${fmt(resto)}` });
        }
      }
      for (const r of rangi) {
        const incerti = r.sopra.filter((s) => {
          const e = new Map(m.espressione(s.num));
          for (const [j, v] of m.espressione(s.den)) e.set(j, (e.get(j) ?? 0) - (s.soglia * v) / 100);
          return lp.ottimo(e, 1).valore < -1e-9 && lp.ottimo(e, -1).valore >= -1e-9;
        });
        if (incerti.length) this.fughe.push({ tipo: 'posizione', dove: r.dove, dettaglio: `${incerti.length} comuni con cifre nascoste potrebbero stare sopra o sotto` });
      }
    }
    return { celleNascoste, occorrenzeNascoste, celleMostrate, occorrenze: this.occorrenze, componenti: perComp.size, programmi, fughe: this.fughe, millisecondi: Date.now() - t0 };
  }

  /** For a model that admits no solution: the published figure or constraint that breaks it. */
  private colpevole(h: Highs, comp: string, celle: Cella[]): string {
    const vincoli = this.vincoli.filter((v) => v.comp === comp);
    for (let i = 0; i < celle.length; i++) {
      if (celle[i].mostrato === null) continue;
      const senza = celle.map((c, j) => (j === i ? { ...c, mostrato: null } : c));
      if (new ModelloComponente(this, comp, senza, vincoli.map((v) => v.v)).programma(h).soluzione()) return `: ${celle[i].chiave} = ${celle[i].mostrato} in ${celle[i].dove[0]}`;
    }
    for (let i = 0; i < vincoli.length; i++) {
      if (new ModelloComponente(this, comp, celle, vincoli.filter((_, j) => j !== i).map((v) => v.v)).programma(h).soluzione()) return `: vincolo ${vincoli[i].dove}`;
    }
    return '';
  }

  tipo(c: Cella): 'conteggio' | 'importo' {
    return this.famiglie.get(c.def.fam)!.tipo;
  }

  famigliaDi(nome: string): Famiglia {
    return this.famiglie.get(nome)!;
  }

  /** The part of a figure made of the viewer's own comune's records, and of the others'. */
  haParteProprio(d: Def): boolean {
    const f = this.famiglie.get(d.fam)!;
    return !!this.proprio && !!f.attributi.comune?.includes(this.proprio) && (!d.filtro.comune || d.filtro.comune.includes(this.proprio));
  }

  haParteAltrui(d: Def): boolean {
    const f = this.famiglie.get(d.fam)!;
    if (!this.proprio || !f.attributi.comune?.includes(this.proprio)) return true;
    return !d.filtro.comune || d.filtro.comune.some((c) => c !== this.proprio);
  }
}

function fmt(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 1000) / 1000) : x > 0 ? '∞' : '-∞';
}

/** null = protected; otherwise the kind of leak. */
function giudica(mostrato: string, tipo: 'conteggio' | 'importo', min: number, max: number): string | null {
  const eps = 1e-6;
  if (tipo === 'importo') return max - min < 0.005 ? 'importo ricavabile' : null;
  if (mostrato === MENO_DI_TRE) return min <= 1 + eps && max >= 2 - eps ? null : '<3 ricavabile';
  const interi = Math.floor(max + eps) - Math.ceil(min - eps) + 1;
  return interi <= 1 ? 'riservato ricavabile' : null;
}

// ---------------------------------------------------------------------------------------------

/** A sub-population of a family: the viewer's own comune ('A') or everyone else ('R'). */
interface Parte {
  fam: Famiglia;
  quale: 'A' | 'R' | 'T';
  attributi: Record<string, readonly string[]>;
  cricche: Cricca[];
}

interface Cricca {
  attr: string[];
  dims: number[];
  /** combination index -> column (absent: known to be 0). */
  colonna: Map<number, number>;
}

class ModelloComponente {
  private readonly parti = new Map<string, Parte>();
  private ncol = 0;
  private readonly righeBase: { e: Espressione; min: number; max: number }[] = [];

  constructor(
    private readonly audit: Audit,
    private readonly comp: string,
    private readonly celle: Cella[],
    private readonly vincoli: Vincolo[],
  ) {
    const famiglie = [...new Set(celle.map((c) => c.def.fam))].map((n) => audit.famigliaDi(n));
    for (const f of famiglie) {
      const defs = [...celle.map((c) => c.def), ...vincoli.flatMap((v) => v.termini.map((t) => t.def))].filter((d) => d.fam === f.nome);
      for (const quale of this.quali(f)) this.costruisciParte(f, quale, defs);
    }
    // Tie the cliques of each part: their sums agree on every combination of shared attributes.
    for (const p of this.parti.values()) {
      for (let i = 0; i < p.cricche.length; i++) {
        for (let j = i + 1; j < p.cricche.length; j++) {
          const a = p.cricche[i];
          const b = p.cricche[j];
          const sep = a.attr.filter((x) => b.attr.includes(x));
          for (const combo of prodotto(sep.map((x) => p.attributi[x]))) {
            const filtro = Object.fromEntries(sep.map((x, k) => [x, [combo[k]]]));
            const e: Espressione = new Map();
            for (const c of this.colonne(p, a, filtro)) e.set(c, (e.get(c) ?? 0) + 1);
            for (const c of this.colonne(p, b, filtro)) e.set(c, (e.get(c) ?? 0) - 1);
            for (const [k, v] of e) if (v === 0) e.delete(k);
            if (e.size) this.righeBase.push({ e, min: 0, max: 0 });
          }
        }
      }
    }
    for (const c of celle) {
      const e = this.espressione(c.def);
      const tipo = audit.tipo(c);
      if (typeof c.mostrato === 'number') this.righeBase.push({ e, min: c.mostrato - (tipo === 'importo' ? 0.006 : 0), max: c.mostrato + (tipo === 'importo' ? 0.006 : 0) });
      else if (c.mostrato === MENO_DI_TRE) this.righeBase.push({ e, min: 1, max: 2 });
      // `riservato`: any count from 1 up (zeros are shown; a total of 1-2 reads riservato too).
      else if (c.mostrato === RISERVATO && tipo === 'conteggio') this.righeBase.push({ e, min: 1, max: Infinity });
    }
    for (const v of vincoli) {
      const e: Espressione = new Map();
      for (const t of v.termini) for (const [j, x] of this.espressione(t.def)) e.set(j, (e.get(j) ?? 0) + x * t.coef);
      this.righeBase.push({ e, min: v.min, max: v.max });
    }
  }

  private quali(f: Famiglia): ('A' | 'R' | 'T')[] {
    const p = this.audit.proprio;
    return p && f.attributi.comune?.includes(p) ? ['A', 'R'] : ['T'];
  }

  private dominio(f: Famiglia, quale: 'A' | 'R' | 'T'): Record<string, readonly string[]> {
    const p = this.audit.proprio;
    if (quale === 'T') return f.attributi;
    const out: Record<string, readonly string[]> = {};
    for (const [k, v] of Object.entries(f.attributi)) {
      if (k !== 'comune') out[k] = v;
      else if (quale === 'R') out[k] = v.filter((c) => c !== p);
    }
    return out;
  }

  /** The filter of a figure within a part, or null when the part has none of its records. */
  private filtroParte(d: Def, quale: 'A' | 'R' | 'T', dom: Record<string, readonly string[]>): Record<string, readonly string[]> | null {
    const p = this.audit.proprio;
    const out: Record<string, readonly string[]> = {};
    for (const [k, v] of Object.entries(d.filtro)) {
      if (k === 'comune' && quale === 'A') {
        if (!v.includes(p!)) return null;
        continue;
      }
      if (k === 'comune' && quale === 'R') {
        const r = v.filter((c) => c !== p);
        if (!r.length) return null;
        if (r.length < dom.comune.length) out[k] = r;
        continue;
      }
      out[k] = v;
    }
    return out;
  }

  private costruisciParte(f: Famiglia, quale: 'A' | 'R' | 'T', defs: Def[]): void {
    const attributi = this.dominio(f, quale);
    const gruppi = new Set<string>();
    const filtri: Record<string, readonly string[]>[] = [];
    for (const d of defs) {
      const fp = this.filtroParte(d, quale, attributi);
      if (!fp) continue;
      filtri.push(fp);
      gruppi.add(Object.keys(fp).sort().join('|'));
    }
    const cricche = triangola([...gruppi].map((g) => (g ? g.split('|') : [])), Object.keys(attributi), (a) => attributi[a].length);
    const p: Parte = { fam: f, quale, attributi, cricche: [] };
    // Combinations known to be 0: those inside a figure shown as 0.
    const zeri = this.celle.filter((c) => c.def.fam === f.nome && c.mostrato === 0).map((c) => this.filtroParte(c.def, quale, attributi)).filter((x): x is Record<string, readonly string[]> => !!x);
    for (const attr of cricche) {
      const dims = attr.map((a) => attributi[a].length);
      const nulle = new Set<number>();
      for (const z of zeri) {
        if (!Object.keys(z).every((k) => attr.includes(k))) continue;
        for (const i of indici(attr, dims, attributi, z)) nulle.add(i);
      }
      const colonna = new Map<number, number>();
      const tot = dims.reduce((a, b) => a * b, 1);
      for (let i = 0; i < tot; i++) if (!nulle.has(i)) colonna.set(i, this.ncol++);
      p.cricche.push({ attr, dims, colonna });
    }
    this.parti.set(`${f.nome}#${quale}`, p);
  }

  private colonne(p: Parte, c: Cricca, filtro: Record<string, readonly string[]>): number[] {
    const out: number[] = [];
    for (const i of indici(c.attr, c.dims, p.attributi, filtro)) {
      const col = c.colonna.get(i);
      if (col !== undefined) out.push(col);
    }
    return out;
  }

  /** The figure as a sum of unknowns (only the own comune's part with quale = 'A'). */
  espressione(d: Def, solo?: 'A'): Espressione {
    const f = this.audit.famigliaDi(d.fam);
    const e: Espressione = new Map();
    for (const quale of this.quali(f)) {
      if (solo && quale !== solo) continue;
      const p = this.parti.get(`${f.nome}#${quale}`)!;
      const fp = this.filtroParte(d, quale, p.attributi);
      if (!fp) continue;
      const attr = Object.keys(fp);
      const c = p.cricche.filter((x) => attr.every((a) => x.attr.includes(a))).sort((a, b) => a.colonna.size - b.colonna.size)[0];
      if (!c) throw new Error(`${this.comp}: nessuna cricca contiene ${attr.join(',')}`);
      for (const col of this.colonne(p, c, fp)) e.set(col, (e.get(col) ?? 0) + 1);
    }
    return e;
  }

  programma(h: Highs): ProgrammaLineare {
    const lp = new ProgrammaLineare(h);
    lp.colonne(this.ncol);
    for (const r of this.righeBase) lp.riga(new Map(r.e), r.min, r.max);
    return lp;
  }
}

/** Cartesian product of lists. */
function* prodotto(liste: readonly (readonly string[])[]): Generator<string[]> {
  if (!liste.length) {
    yield [];
    return;
  }
  const [prima, ...resto] = liste;
  for (const x of prima) for (const r of prodotto(resto)) yield [x, ...r];
}

/** Indices (mixed radix over attr) of the combinations matching a filter. */
function indici(attr: string[], dims: number[], dom: Record<string, readonly string[]>, filtro: Record<string, readonly string[]>): number[] {
  let out = [0];
  for (let k = 0; k < attr.length; k++) {
    const a = attr[k];
    const valori = filtro[a] ? filtro[a].map((v) => dom[a].indexOf(v)).filter((i) => i >= 0) : [...Array(dims[k]).keys()];
    const next: number[] = [];
    for (const base of out) for (const v of valori) next.push(base * dims[k] + v);
    out = next;
  }
  return out;
}

/**
 * The cliques of a chordal graph containing every group of attributes that figures restrict
 * together: min-fill elimination (ties: the smallest clique), keeping the maximal cliques.
 */
export function triangola(gruppi: string[][], attributi: string[], dim: (a: string) => number): string[][] {
  const adj = new Map<string, Set<string>>(attributi.map((a) => [a, new Set<string>()]));
  const usati = new Set<string>();
  for (const g of gruppi) {
    for (const a of g) usati.add(a);
    for (const a of g) for (const b of g) if (a !== b) adj.get(a)!.add(b);
  }
  const rimasti = new Set([...usati]);
  const cricche: string[][] = [];
  while (rimasti.size) {
    let scelto = '';
    let miglior = [Infinity, Infinity];
    for (const v of rimasti) {
      const n = [...adj.get(v)!].filter((x) => rimasti.has(x));
      let fill = 0;
      for (let i = 0; i < n.length; i++) for (let j = i + 1; j < n.length; j++) if (!adj.get(n[i])!.has(n[j])) fill++;
      const size = [v, ...n].reduce((a, x) => a * dim(x), 1);
      if (fill < miglior[0] || (fill === miglior[0] && size < miglior[1])) {
        miglior = [fill, size];
        scelto = v;
      }
    }
    const n = [...adj.get(scelto)!].filter((x) => rimasti.has(x));
    for (const a of n) for (const b of n) if (a !== b) adj.get(a)!.add(b);
    cricche.push([scelto, ...n].sort());
    rimasti.delete(scelto);
  }
  const massimali = cricche.filter((c, i) => !cricche.some((d, j) => j !== i && d.length > c.length && c.every((x) => d.includes(x))));
  const uniche = [...new Map(massimali.map((c) => [c.join('|'), c])).values()];
  // A family whose figures never restrict anything still needs one unknown: its total.
  if (!uniche.length) uniche.push([]);
  return uniche;
}
