import type { Valore } from '../web/suppression';
import type { Documento, Grafico } from './documento';
import { col, Colonna, Riga, round2, Tabella, TipoColonna } from './tabella';

/**
 * Years side by side (issue 20, item 1; docs/cruscotto.md, «Anni a confronto»): the main figures
 * of a page for the chosen year and every year before it since the data begin, read from each
 * year's own document. A figure is therefore exactly the cell of that year's page, with the same
 * fate (shown, `<3`, `riservato`): nothing is computed again here but the variation.
 */
export interface FiguraAnni {
  /** The key of the figure in the year's document (`sintesi`). */
  chiave: string;
  etichetta: string;
  tipo: TipoColonna;
  /** The page the figure comes from (the scorecard gathers three). */
  pagina: 'sportello' | 'sociali' | 'economici';
  /** Drawn in the chart (figures of one unit only, so the bars share an axis). */
  grafico?: boolean;
}

const F = (pagina: FiguraAnni['pagina'], chiave: string, etichetta: string, tipo: TipoColonna = 'numero', grafico = false): FiguraAnni => ({ pagina, chiave, etichetta, tipo, grafico });

export const FIGURE_ANNI: Record<'sportello' | 'sociali' | 'economici' | 'comune', FiguraAnni[]> = {
  sportello: [F('sportello', 'accessi', 'Accessi', 'numero', true), F('sportello', 'nuovi_accessi', 'Nuovi accessi', 'numero', true), F('sportello', 'nuovi_percentuale', '% nuovi', 'percentuale')],
  sociali: [
    F('sociali', 'prese_in_carico', 'Prese in carico', 'numero', true),
    F('sociali', 'beneficiari_anno', "Beneficiari dell'anno", 'numero', true),
    F('sociali', 'concluse_anno', 'Concluse', 'numero'),
    F('sociali', 'precedenti_chiuse_anno', 'Anni prec. chiuse', 'numero'),
    F('sociali', 'copertura', 'Copertura', 'percentuale'),
  ],
  economici: [
    F('economici', 'n_prestazioni', 'N. prestazioni'),
    F('economici', 'costo', 'Costo', 'importo', true),
    F('economici', 'quota_comune', 'A carico del comune', 'importo', true),
    F('economici', 'media_prestazione', 'Media per prestazione', 'importo'),
    F('economici', 'recuperi', 'Recuperi', 'importo'),
  ],
  comune: [
    F('sportello', 'accessi', 'Accessi allo sportello', 'numero', true),
    F('sportello', 'nuovi_accessi', 'Nuovi accessi'),
    F('sociali', 'prese_in_carico', 'Prese in carico', 'numero', true),
    F('sociali', 'beneficiari_anno', "Beneficiari dell'anno", 'numero', true),
    F('economici', 'n_prestazioni', 'Prestazioni erogate', 'numero', true),
    F('economici', 'quota_comune', 'A carico del comune', 'importo'),
  ],
};

const nascosto = (v: unknown) => v === '<3' || v === 'riservato';

/**
 * 100 × (this year − the year before) / the year before, 2 decimals: `riservato` when either
 * figure is hidden (a variation between a shown figure and a hidden one would tell the hidden
 * one), null when it cannot be computed (no year before, a missing figure, the year before 0).
 */
export function variazione(anno: unknown, prima: unknown): Valore {
  if (nascosto(anno) || nascosto(prima)) return 'riservato';
  if (typeof anno !== 'number' || typeof prima !== 'number' || prima === 0) return null;
  return round2((100 * (anno - prima)) / prima);
}

/** Percentages are compared by their own change in points, not by a variation of a percentage. */
const conVariazione = (f: FiguraAnni) => f.tipo !== 'percentuale';

export const chiaveVariazione = (chiave: string) => `${chiave}_variazione`;

/** The value of a figure in a year's document. */
export function valoreDi(doc: Documento, chiave: string): Valore {
  return (doc.sintesi.find((s) => s.chiave === chiave)?.valore ?? null) as Valore;
}

/**
 * The table `anni` (a row per year, ascending: a fixed order that says nothing about the
 * figures) and its bar chart. `docs` gives, for each year, the document of each page the
 * figures come from.
 */
export function confrontoAnni(figure: FiguraAnni[], anni: { anno: number; docs: Partial<Record<FiguraAnni['pagina'], Documento>> }[], titolo: string): { tabella: Tabella; grafico: Grafico } {
  const colonne: Colonna[] = [col('anno', 'Anno', 'testo')];
  for (const f of figure) {
    colonne.push(col(f.chiave, f.etichetta, f.tipo));
    if (conVariazione(f)) colonne.push(col(chiaveVariazione(f.chiave), `Var. % ${f.etichetta.toLowerCase()}`, 'percentuale'));
  }
  const righe: Riga[] = [];
  let prima: Riga | null = null;
  for (const a of [...anni].sort((x, y) => x.anno - y.anno)) {
    const r: Riga = { anno: String(a.anno) };
    for (const f of figure) {
      const d = a.docs[f.pagina];
      r[f.chiave] = d ? valoreDi(d, f.chiave) : null;
      if (conVariazione(f)) r[chiaveVariazione(f.chiave)] = prima ? variazione(r[f.chiave], prima[f.chiave]) : null;
    }
    righe.push(r);
    prima = r;
  }
  const tabella: Tabella = {
    id: 'anni',
    titolo,
    nota: "Ogni cifra è quella della pagina del suo anno (stessi filtri, stessa riservatezza). Variazione = 100 × (anno − anno precedente) / anno precedente; «–» se l'anno precedente è 0 o manca, «riservato» se una delle due cifre è nascosta.",
    colonne,
    righe,
  };
  const inGrafico = figure.filter((f) => f.grafico);
  const grafico: Grafico = {
    id: 'grafico_anni',
    titolo,
    tipo: 'barre',
    categorie: righe.map((r) => String(r.anno)),
    serie: inGrafico.map((f) => ({ nome: f.etichetta, dati: righe.map((r) => (typeof r[f.chiave] === 'number' ? (r[f.chiave] as number) : null)) })),
    unita: inGrafico.every((f) => f.tipo === 'importo') ? '€' : '',
    tabella: 'anni',
  };
  return { tabella, grafico };
}
