import { toCsv } from '../web/csv';
import { decimale } from '../shared/formato';

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

/** Rows as arrays of display cells, for the template (numbers in Italian format). */
export function vistaTabella(t: TabellaAnalisi) {
  const cella = (c: Colonna, v: Cella) => ({ testo: v === null ? '–' : typeof v === 'number' ? decimale(v) : typeof v === 'boolean' ? (v ? 'sì' : 'no') : v, num: !!c.numero });
  return {
    id: t.id,
    titolo: t.titolo,
    colonne: t.colonne,
    righe: t.righe.map((r) => t.colonne.map((c) => cella(c, r[c.chiave]))),
    totale: t.totale ? t.colonne.map((c) => cella(c, t.totale![c.chiave])) : null,
  };
}
