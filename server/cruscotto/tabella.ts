import { toCsv } from '../web/csv';
import type { Valore } from '../web/suppression';

/**
 * A table as the pages, the JSON twin and the CSV export all see it: the page renders it, the
 * API returns it, `?formato=csv&tabella=<id>` exports it. Values are numbers, `<3`,
 * `riservato`, text, or null (not applicable / not computable).
 */
export type TipoColonna = 'testo' | 'numero' | 'importo' | 'percentuale' | 'data';

export interface Colonna {
  chiave: string;
  etichetta: string;
  tipo: TipoColonna;
}

export type Cella = Valore | string;
export type Riga = Record<string, Cella>;

export interface Tabella {
  id: string;
  titolo: string;
  nota?: string;
  colonne: Colonna[];
  righe: Riga[];
  /** Summary rows under the table (totals, averages), same columns. */
  totali?: Riga[];
}

export const col = (chiave: string, etichetta: string, tipo: TipoColonna = 'numero'): Colonna => ({ chiave, etichetta, tipo });

/**
 * A value rounded to 2 decimals, half away from zero (as the SQL round of docs/metriche.md, "Cifre
 * della digitalizzazione").
 */
export function round2(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x) * 100 + 1e-9) / 100;
}

/** 100 * a / b rounded to 2 decimals; null when b is 0. */
export function percentuale(a: number, b: number): number | null {
  return b === 0 ? null : round2((100 * a) / b);
}

// Always grouped: it-IT leaves 4-digit numbers ungrouped unless asked ("1990" next to "10.780").
// (useGrouping 'always' is in Node 20's Intl, not yet in TypeScript's types.)
const GRUPPI = { useGrouping: 'always' } as unknown as Intl.NumberFormatOptions;
const intero = new Intl.NumberFormat('it-IT', { ...GRUPPI, maximumFractionDigits: 0 });
const decimali = new Intl.NumberFormat('it-IT', { ...GRUPPI, minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * How a value reads on the page (and in the browser tests that compare page and API):
 * percentages and amounts with two decimals always ("55,90%" beside "47,37%"), counts without,
 * averages (non-integers) with two; the € sign never wraps onto its own line.
 */
export function formatta(v: Cella, tipo: TipoColonna): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'string') return v;
  if (tipo === 'importo') return `${decimali.format(v)}\u00a0€`;
  if (tipo === 'percentuale') return `${decimali.format(v)}%`;
  return Number.isInteger(v) ? intero.format(v) : decimali.format(v);
}

/** The CSV of a table (rows, then the summary rows), with the page's column headings. */
export function tabellaCsv(t: Tabella): string {
  const righe = [...t.righe, ...(t.totali ?? [])].map((r) => t.colonne.map((c) => r[c.chiave] ?? null));
  return toCsv(t.colonne.map((c) => c.etichetta), righe);
}

/**
 * The documented order of rows compared by a figure (docs/riservatezza.md, «L'ordine delle
 * righe»): shown numbers descending, ties by name; then the rows whose figure is hidden (`<3`,
 * `riservato`) or missing, by name. A hidden figure's place then says nothing about it; sorting
 * by the true value would put a `riservato` between two 5s and so tell it is 5.
 */
export function ordinaPerMostrato<T>(righe: T[], valore: (r: T) => unknown, nome: (r: T) => string): T[] {
  return [...righe].sort((a, b) => {
    const va = valore(a);
    const vb = valore(b);
    const na = typeof va === 'number' ? va : null;
    const nb = typeof vb === 'number' ? vb : null;
    if (na !== null && nb !== null) return nb - na || nome(a).localeCompare(nome(b), 'it');
    if (na !== null) return -1;
    if (nb !== null) return 1;
    return nome(a).localeCompare(nome(b), 'it');
  });
}
