import { AREE } from './filtri';
import type { Nodo } from './nodi';

/** measure -> istat -> area -> n: the shape of the per-comune, per-area figures of a year. */
export type PerMisura = Map<string, Map<string, Map<string, number>>>;

export function raccogli(rows: { misura: string; codice_istat: string; area: string; n: number }[]): PerMisura {
  const out: PerMisura = new Map();
  for (const r of rows) {
    let m = out.get(r.misura);
    if (!m) out.set(r.misura, (m = new Map()));
    let c = m.get(r.codice_istat);
    if (!c) m.set(r.codice_istat, (c = new Map()));
    c.set(r.area, (c.get(r.area) ?? 0) + Number(r.n));
  }
  return out;
}

/** Per comune: the measure in one area, or in all of them. */
export function perComune(d: PerMisura, misura: string, area: string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const [istat, perArea] of d.get(misura) ?? []) {
    let s = 0;
    for (const [a, n] of perArea) if (!area || a === area) s += n;
    out.set(istat, s);
  }
  return out;
}

/** Per area, summed over the comuni of a node (every area present, 0 when none). */
export function perArea(d: PerMisura, misura: string, n: Nodo): Map<string, number> {
  const out = new Map<string, number>(AREE.map((a) => [a, 0]));
  const m = d.get(misura);
  for (const c of n.comuni) for (const [a, x] of m?.get(c.codice_istat) ?? []) out.set(a, (out.get(a) ?? 0) + x);
  return out;
}

export function totale(m: Map<string, number>): number {
  let s = 0;
  for (const v of m.values()) s += v;
  return s;
}
