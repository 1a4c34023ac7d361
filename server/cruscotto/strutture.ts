import { Riservatezza } from '../web/suppression';
import type { Contesto } from './contesto';
import { AMBITO, idComune, Nodo, nodiGruppo, nodoAmbito, nodoComune, pieno, TipoNodo, Visibilita } from './nodi';

/**
 * The tables of the suppression problem (server/web/suppression.ts), in the shapes the pages
 * publish: a figure per comune summed into groups; a list of categories with its total; a
 * cross-table categories x areas with its margins.
 */
/** Weights of hiding (suppression.ts): comuni's figures first, groups and the ambito last. */
const PESO: Record<TipoNodo, number> = { comune: 1, cluster: 20, distretto: 20, ambito: 100 };

/**
 * One count (or amount) per comune, summed into every cluster, distretto and the ambito, as one
 * table of the suppression problem: cells `<misura>|<node id>`, relations cluster = sum of its
 * comuni, distretto = sum of its comuni, ambito = sum of clusters = sum of distretti. Returns
 * the value of every node.
 */
export function strutturaComuni(
  R: Riservatezza,
  contesto: Contesto,
  v: Visibilita,
  misura: string,
  valori: Map<string, number>,
  opts: { importo?: boolean; segue?: string; noto?: boolean } = {},
): Map<string, number> {
  const out = new Map<string, number>();
  const tipo = opts.importo ? ('importo' as const) : ('conteggio' as const);
  const key = (id: string) => `${misura}|${id}`;
  // A group whose other comuni all have 0 is known to the account in full (0 is shown as 0).
  const noto = (n: Nodo) => pieno(v, n) || (v.proprio !== null && n.comuni.some((c) => c.codice_istat === v.proprio) && n.comuni.every((c) => c.codice_istat === v.proprio || (valori.get(c.codice_istat) ?? 0) === 0));
  const cella = (id: string, n: Nodo, val: number) => {
    out.set(id, val);
    R.cella(key(id), val, { tipo, pieno: opts.noto || noto(n), peso: PESO[n.tipo], segue: opts.segue ? `${opts.segue}|${id}` : undefined });
  };
  for (const c of contesto.comuni) cella(idComune(c.codice_istat), nodoComune(c), valori.get(c.codice_istat) ?? 0);
  const gruppi = [...nodiGruppo(contesto, 'cluster'), ...nodiGruppo(contesto, 'distretto')];
  for (const g of gruppi) cella(g.id, g, g.comuni.reduce((a, c) => a + (valori.get(c.codice_istat) ?? 0), 0));
  const amb = nodoAmbito(contesto);
  cella(AMBITO, amb, contesto.comuni.reduce((a, c) => a + (valori.get(c.codice_istat) ?? 0), 0));
  for (const g of gruppi) R.relazione(key(g.id), g.comuni.map((c) => key(idComune(c.codice_istat))), misura);
  R.relazione(key(AMBITO), nodiGruppo(contesto, 'cluster').map((g) => key(g.id)), misura);
  R.relazione(key(AMBITO), nodiGruppo(contesto, 'distretto').map((g) => key(g.id)), misura);
  return out;
}

/**
 * "A part is at most its whole" (the new accessi are some of the accessi) for every node of two
 * tables of strutturaComuni, or any pairs of cells: per pair an unpublished difference
 * (`fantasma`, at least 0) with tutto = parte + differenza, and the differences of the groups as
 * sums of the comuni's. Nothing is shown of it: it lets the suppression check (`bloccate` in
 * server/web/suppression.ts) see what a reader derives from the inequality, as the audit does.
 */
export function parteDi(R: Riservatezza, nome: string, coppie: { id: string; tutto: string; parte: string; valore: number }[], somme: { totale: string; parti: string[] }[] = []): void {
  const k = (id: string) => `${nome}|${id}`;
  for (const c of coppie) {
    R.cella(k(c.id), c.valore, { fantasma: true });
    R.relazione(c.tutto, [c.parte, k(c.id)], nome);
  }
  for (const x of somme) R.relazione(k(x.totale), x.parti.map(k), nome);
}

/** parteDi for two tables of strutturaComuni (same nodes): `parte|id` <= `tutto|id`. */
export function parteDiComuni(R: Riservatezza, contesto: Contesto, tutto: string, parte: string, vTutto: Map<string, number>, vParte: Map<string, number>): void {
  const gruppi = [...nodiGruppo(contesto, 'cluster'), ...nodiGruppo(contesto, 'distretto')];
  const ids = [...contesto.comuni.map((c) => idComune(c.codice_istat)), ...gruppi.map((g) => g.id), AMBITO];
  parteDi(
    R,
    `${tutto}-${parte}`,
    ids.map((id) => ({ id, tutto: `${tutto}|${id}`, parte: `${parte}|${id}`, valore: (vTutto.get(id) ?? 0) - (vParte.get(id) ?? 0) })),
    [
      ...gruppi.map((g) => ({ totale: g.id, parti: g.comuni.map((c) => idComune(c.codice_istat)) })),
      { totale: AMBITO, parti: nodiGruppo(contesto, 'cluster').map((g) => g.id) },
      { totale: AMBITO, parti: nodiGruppo(contesto, 'distretto').map((g) => g.id) },
    ],
  );
}

/**
 * A list of categories (areas, motivi, problemi, codici) of one node with its total, as one
 * table: `<lista>|<cat>` and `<lista>|T`. `proprio` is what the account already knows of each
 * (its own comune's figures, when the node contains it). `totale` may be the key of a cell
 * declared elsewhere (then it is shared, and stays put here).
 */
export function listaCategorie(
  R: Riservatezza,
  lista: string,
  valori: Map<string, number>,
  opts: { pieno: boolean; proprio?: Map<string, number>; totale?: string; peso?: number },
): { chiave: (cat: string) => string; totale: string } {
  const chiave = (cat: string) => `${lista}|${cat}`;
  const totale = opts.totale ?? `${lista}|T`;
  let somma = 0;
  let sommaProprio = 0;
  for (const [cat, n] of valori) {
    somma += n;
    sommaProprio += opts.proprio?.get(cat) ?? 0;
    // A category made only of the account's own records (the others have 0, and zeros are
    // shown) is known to it in full, as a group of strutturaComuni is.
    const tuttoProprio = opts.proprio !== undefined && n > 0 && n === (opts.proprio.get(cat) ?? 0);
    R.cella(chiave(cat), n, { pieno: opts.pieno || tuttoProprio, proprio: opts.proprio?.get(cat), peso: opts.peso ?? 1 });
  }
  if (!R.has(totale)) R.cella(totale, somma, { pieno: opts.pieno || (opts.proprio !== undefined && somma > 0 && somma === sommaProprio), proprio: opts.proprio ? sommaProprio : undefined, peso: 100 });
  R.relazione(totale, [...valori.keys()].map(chiave), lista);
  return { chiave, totale };
}


/**
 * Categories x areas with all margins, as one table: `<nome>|<cat>|<area>`, `<nome>|<cat>|T`,
 * `<nome>|T|<area>`, `<nome>|T|T`. `proprio` holds what the account knows of each cell (its own
 * comune's figures, when the node contains it). `totale`: the key of a cell already declared with
 * the same figure (the node's total in the per-comune table), used as the grand total, so the
 * figure has one fate on the whole page: hidden in both tables or shown in both.
 */
export function incrocio(
  R: Riservatezza,
  nome: string,
  valori: Map<string, Map<string, number>>,
  aree: readonly string[],
  opts: { pieno: boolean; proprio?: Map<string, Map<string, number>>; importo?: boolean; segue?: string; totale?: string },
): (cat: string, area: string) => string {
  const k = (cat: string, area: string) => (cat === 'T' && area === 'T' && opts.totale ? opts.totale : `${nome}|${cat}|${area}`);
  const cats = [...valori.keys()];
  const v = (cat: string, area: string) => valori.get(cat)?.get(area) ?? 0;
  const p = (cat: string, area: string) => opts.proprio?.get(cat)?.get(area) ?? 0;
  const sum = (f: (c: string, a: string) => number, cs: string[], as: readonly string[]) => cs.reduce((t, c) => t + as.reduce((u, a) => u + f(c, a), 0), 0);
  // Amounts follow the count of the same coordinates in the table `segue`.
  const decl = (c: string, a: string, val: number, prop: number, peso: number) =>
    R.cella(k(c, a), val, {
      pieno: opts.pieno,
      proprio: opts.proprio && !opts.importo ? prop : undefined,
      peso,
      tipo: opts.importo ? 'importo' : 'conteggio',
      segue: opts.segue ? `${opts.segue}|${c}|${a}` : undefined,
    });
  for (const c of cats) {
    for (const a of aree) decl(c, a, v(c, a), p(c, a), 1);
    decl(c, 'T', sum(v, [c], aree), sum(p, [c], aree), 5);
  }
  for (const a of aree) decl('T', a, sum(v, cats, [a]), sum(p, cats, [a]), 20);
  if (!R.has(k('T', 'T'))) decl('T', 'T', sum(v, cats, aree), sum(p, cats, aree), 100);
  for (const c of cats) R.relazione(k(c, 'T'), aree.map((a) => k(c, a)), nome);
  for (const a of aree) R.relazione(k('T', a), cats.map((c) => k(c, a)), nome);
  R.relazione(k('T', 'T'), cats.map((c) => k(c, 'T')), nome);
  R.relazione(k('T', 'T'), aree.map((a) => k('T', a)), nome);
  return k;
}
