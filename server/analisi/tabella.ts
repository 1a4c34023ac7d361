import { toCsv } from '../web/csv';
import { decimale } from '../shared/formato';
import { RIGHE_PAGINA } from '../cruscotto/presentazione';

/** A table of an analysis document: what the page shows, the JSON carries and the CSV writes. */
export interface Colonna {
  chiave: string;
  etichetta: string;
  numero?: boolean;
}

export type Cella = string | number | boolean | null;

export interface TabellaAnalisi {
  id: string;
  titolo: string;
  colonne: Colonna[];
  righe: Record<string, Cella>[];
  /** A last row of totals (not in `righe`), when the table has one. */
  totale?: Record<string, Cella>;
}

export function csvTabella(t: TabellaAnalisi): string {
  const righe = [...t.righe, ...(t.totale ? [t.totale] : [])];
  return toCsv(
    t.colonne.map((c) => c.etichetta),
    righe.map((r) => t.colonne.map((c) => r[c.chiave] ?? null)),
  );
}

/**
 * Rows as arrays of display cells, for the template (numbers in Italian format). With `parziale`
 * a long table shows its first RIGHE_PAGINA rows in its own order and the link to all of them,
 * as the cruscotto's pages do: the regional breakdowns list thousands of punti di accesso, and
 * rendering them was most of the page's time (docs/bench.md). The rows shown are cells of the
 * whole table, suppressed as it is: the total minus the rows shown is the sum of the rows left
 * out, which the whole table (`tutte=1`, the JSON, the CSV) shows anyway.
 */
export function vistaTabella(t: TabellaAnalisi, parziale?: { tutte: string }) {
  const troncata = parziale !== undefined && t.righe.length > RIGHE_PAGINA;
  const cella = (c: Colonna, v: Cella) => ({ testo: v === null ? '–' : typeof v === 'number' ? decimale(v) : typeof v === 'boolean' ? (v ? 'sì' : 'no') : v, num: !!c.numero });
  return {
    id: t.id,
    titolo: t.titolo,
    colonne: t.colonne,
    righe: (troncata ? t.righe.slice(0, RIGHE_PAGINA) : t.righe).map((r) => t.colonne.map((c) => cella(c, r[c.chiave]))),
    totale: t.totale ? t.colonne.map((c) => cella(c, t.totale![c.chiave])) : null,
    troncata: troncata ? { mostrate: decimale(RIGHE_PAGINA), totale: decimale(t.righe.length), tutte: parziale.tutte } : undefined,
  };
}
