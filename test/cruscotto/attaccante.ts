/**
 * An independent "attacker" for the suppression tests: given what a page publishes (numbers,
 * `<3`, `riservato`) and the sums a reader can check, it tries to work out the hidden values,
 * knowing what any reader of the rules knows: a `<3` is 1 or 2, a `riservato` is at least 1
 * (zeros are never hidden), nothing is below the account's own share (which it knows). It uses
 *   - subtraction (a relation with one unknown),
 *   - interval propagation over all relations, to a fixed point,
 *   - exact linear algebra (Gauss-Jordan on rationals): an unknown fixed by a combination.
 * It reports every `<3` (or remainder-hidden) cell whose value it can pin down thanks to the
 * numbers that are shown. What follows from the `<3` and 0 cells and the account's own figures
 * alone (two `<3` parts with a `<3` total would be 1 + 1; such totals now read `riservato`) is what primary suppression itself shows,
 * whatever else is hidden, and is not counted (docs/cruscotto.md, "Riservatezza").
 */
export interface Pubblicato {
  /** What the page shows. */
  mostrato: number | string | null;
  /** The true value (for the class bounds the attacker is given). */
  vero: number;
  /** The viewer knows it (its own comune). */
  noto?: boolean;
  proprio?: number;
}

export interface Relazione {
  t: string;
  p: string[];
}

type Frac = [bigint, bigint];
const norm = ([a, b]: Frac): Frac => {
  if (b < 0n) [a, b] = [-a, -b];
  const g = gcd(a < 0n ? -a : a, b);
  return g === 0n ? [0n, 1n] : [a / g, b / g];
};
function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}
const sub = (x: Frac, y: Frac): Frac => norm([x[0] * y[1] - y[0] * x[1], x[1] * y[1]]);
const mul = (x: Frac, y: Frac): Frac => norm([x[0] * y[0], x[1] * y[1]]);
const div = (x: Frac, y: Frac): Frac => norm([x[0] * y[1], x[1] * y[0]]);

export function recuperabili(celle: Record<string, Pubblicato>, relazioni: Relazione[]): string[] {
  const conNumeri = attacco(celle, relazioni);
  // The same attack with every shown non-zero number unknown (>= 3), except those made only of
  // the account's own share: what it still finds comes from the `<3`, the zeros and the
  // account's own figures alone, which no further hiding can change.
  const cieco: Record<string, Pubblicato> = {};
  for (const [k, c] of Object.entries(celle)) cieco[k] = typeof c.mostrato === 'number' && c.mostrato !== 0 && !c.noto && c.proprio !== c.vero ? { ...c, mostrato: 'nascosto' } : c;
  const soli = new Set(attacco(cieco, relazioni));
  return conNumeri.filter((k) => !soli.has(k));
}

function attacco(celle: Record<string, Pubblicato>, relazioni: Relazione[]): string[] {
  const ignote = Object.keys(celle).filter((k) => typeof celle[k].mostrato !== 'number' && !celle[k].noto);
  // Sensitive: hidden, and 1-2 beyond what the account knows (its own share).
  const sensibili = new Set(
    ignote.filter((k) => {
      const c = celle[k];
      const resto = c.vero - (c.proprio ?? 0);
      return (c.mostrato === '<3' || c.mostrato === 'riservato') && resto >= 1 && resto <= 2;
    }),
  );
  const valoreNoto = (k: string) => (typeof celle[k].mostrato === 'number' ? (celle[k].mostrato as number) : celle[k].vero);
  const out = new Set<string>();

  // Interval propagation.
  const lo = new Map<string, number>();
  const hi = new Map<string, number>();
  for (const k of Object.keys(celle)) {
    const c = celle[k];
    if (!ignote.includes(k)) {
      lo.set(k, valoreNoto(k));
      hi.set(k, valoreNoto(k));
      continue;
    }
    const p = c.proprio ?? 0;
    const resto = c.vero - p;
    // A `<3` is 1 or 2; a `riservato` is >= 1 (zeros are never hidden, a total of 1-2 reads
    // riservato); a shown number made unknown by the blind attack is >= 3; nothing is below
    // the account's own share.
    void resto;
    if (c.mostrato === '<3') {
      lo.set(k, Math.max(1, p));
      hi.set(k, 2);
    } else if (c.mostrato === 'riservato') {
      lo.set(k, Math.max(1, p));
      hi.set(k, Infinity);
    } else {
      lo.set(k, Math.max(3, p));
      hi.set(k, Infinity);
    }
  }
  for (let giro = 0; giro < 500; giro++) {
    let cambiato = false;
    for (const r of relazioni) {
      const somma = (f: Map<string, number>, escl?: string) => r.p.filter((x) => x !== escl).reduce((a, x) => a + f.get(x)!, 0);
      const tl = somma(lo);
      const th = somma(hi);
      if (tl > lo.get(r.t)!) (lo.set(r.t, tl), (cambiato = true));
      if (th < hi.get(r.t)!) (hi.set(r.t, th), (cambiato = true));
      for (const x of r.p) {
        const nl = lo.get(r.t)! - somma(hi, x);
        const nh = hi.get(r.t)! - somma(lo, x);
        if (nl > lo.get(x)!) (lo.set(x, nl), (cambiato = true));
        if (nh < hi.get(x)!) (hi.set(x, nh), (cambiato = true));
      }
    }
    if (!cambiato) break;
  }
  for (const k of sensibili) if (lo.get(k) === hi.get(k)) out.add(k);

  // Linear algebra: rows = relations, columns = unknowns, constants moved to the right.
  const col = new Map(ignote.map((k, i) => [k, i]));
  const rows: Frac[][] = relazioni.map((r) => {
    const row: Frac[] = ignote.map(() => [0n, 1n] as Frac);
    let rhs = 0;
    const add = (k: string, s: number) => {
      const i = col.get(k);
      if (i === undefined) rhs -= s * valoreNoto(k);
      else row[i] = norm([row[i][0] + BigInt(s) * row[i][1], row[i][1]]);
    };
    add(r.t, 1);
    for (const x of r.p) add(x, -1);
    return [...row, [BigInt(rhs), 1n] as Frac];
  });
  const n = ignote.length;
  let riga = 0;
  const pivot: number[] = [];
  for (let c = 0; c < n && riga < rows.length; c++) {
    const p = rows.findIndex((r, i) => i >= riga && r[c][0] !== 0n);
    if (p < 0) continue;
    [rows[riga], rows[p]] = [rows[p], rows[riga]];
    const f = rows[riga][c];
    rows[riga] = rows[riga].map((x) => div(x, f));
    for (let i = 0; i < rows.length; i++) {
      if (i === riga || rows[i][c][0] === 0n) continue;
      const g = rows[i][c];
      rows[i] = rows[i].map((x, j) => sub(x, mul(g, rows[riga][j])));
    }
    pivot.push(c);
    riga++;
  }
  pivot.forEach((c, i) => {
    const libere = rows[i].slice(0, n).some((x, j) => j !== c && x[0] !== 0n);
    if (!libere && sensibili.has(ignote[c])) out.add(ignote[c]);
  });
  return [...out].sort();
}
