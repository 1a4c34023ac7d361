import type { Esito, Riservatezza, Valore } from '../web/suppression';
import type { Contesto } from './contesto';
import { AREE, ETICHETTE_AREA, Filtri, filtriDoc, Pagina } from './filtri';
import { AMBITO, Nodo, nodoAmbito, pieno, selezione, Visibilita } from './nodi';
import type { Cella, Tabella, TipoColonna } from './tabella';

/** A headline figure of a page (the cards at the top). */
export interface Indicatore {
  chiave: string;
  etichetta: string;
  valore: Cella;
  tipo: TipoColonna;
  nota?: string;
}

/** A chart as the server shapes it: the browser only draws it (views/public/js/disegna-grafici.js). */
export interface Grafico {
  id: string;
  titolo: string;
  tipo: 'barre' | 'barre_orizzontali' | 'torta' | 'linea' | 'barra_obiettivo';
  categorie: string[];
  serie: { nome: string; dati: (number | null)[] }[];
  /** Percentage charts: unit and target line. */
  unita?: '%' | '€' | '';
  obiettivo?: number;
  /** One colour per category (bars coloured by stato). */
  colori?: string[];
  /** Dates on the x axis of a line chart (YYYY-MM-DD). */
  date?: string[];
  /** Vertical marker (the deadline) on a line chart. */
  marcatore?: { data: string; etichetta: string };
  /** The table holding the same numbers (charts are never the only place a figure is). */
  tabella?: string;
}

/** The JSON twin of a page: exactly what the page shows. */
export interface Documento {
  pagina: Pagina;
  titolo: string;
  filtri: Partial<Omit<Filtri, 'formato' | 'tabella'>>;
  dati_al: string | null;
  oggi: string;
  selezione: { id: string; tipo: string; etichetta: string; comuni: number } | null;
  /** Which node the breakdowns (areas, motivi, codici...) refer to. */
  dettaglio: { id: string; etichetta: string } | null;
  riservatezza: { attiva: boolean; primarie: number; secondarie: number; nota: string | null };
  sintesi: Indicatore[];
  tabelle: Tabella[];
  grafici: Grafico[];
  avvisi: string[];
  /** Family pages: the digitalization of the ambito and of the selection's group, for reference. */
  riferimenti?: Indicatore[];
}

export const NOTA_RISERVATEZZA =
  'Per tutela della riservatezza (GDPR art. 9) i conteggi da 1 a 2 sono indicati come «<3»; percentuali e medie che ne derivano e i totali da cui si potrebbero ricavare sono «riservato». L\'Ufficio di Piano vede tutti i valori.';

export function riservatezzaDoc(R: Riservatezza, esito: Esito): Documento['riservatezza'] {
  const c = esito.conteggi();
  return { attiva: R.attiva, ...c, nota: R.attiva ? NOTA_RISERVATEZZA : null };
}

/** How a family document is built when another page decides some of its fates (unaSorte). */
export interface OpzioniDoc {
  /** Fates to keep (Riservatezza's `imposte`). */
  imposte?: ReadonlyMap<string, Valore>;
  /** Receives the page's fates once decided. */
  esito?: (es: Esito) => void;
}

/** A cell of the per-comune tables (strutturaComuni: `<misura>|<node id>`), the same figure on every page of a year. */
const CELLA_NODO = /\|(amb|c:[^|]+|cl:[^|]+|d:[^|]+)$/;

/**
 * One fate per figure on every page of the same data, for a reader outside the UdP. The
 * per-comune figures (every comune, cluster, distretto and the ambito) are on every page, but the
 * breakdowns beside them are the ambito's, or the reader's own comune's when it is selected
 * (nodoDettaglio): the ambito's breakdowns can make the ambito page hide, say, the ambito's total,
 * which the own-comune page has no reason to hide. A reader comparing the two would then see it,
 * and with it a hidden part. So the page with the own comune first builds the ambito page of the
 * same filters and keeps every fate it decided for those figures (docs/riservatezza.md).
 */
export function unaSorte(contesto: Contesto, f: Filtri, v: Visibilita, costruisci: (f: Filtri, o: OpzioniDoc) => Documento): Documento {
  if (v.udp || nodoDettaglio(contesto, v, selezione(contesto, f)).id === AMBITO) return costruisci(f, {});
  let imposte: Map<string, Valore> | undefined;
  costruisci({ ...f, comune: null, cluster: null, distretto: null }, { esito: (es) => (imposte = es.nascoste((k) => CELLA_NODO.test(k))) });
  return costruisci(f, { imposte });
}

/**
 * The node whose breakdowns (areas, motivi, problemi, codici) a page shows. The UdP sees every
 * selection; other accounts see the breakdowns of their own comune and of the whole ambito:
 * publishing them for every comune and group would let small counts be recovered across tables.
 */
export function nodoDettaglio(contesto: Contesto, v: Visibilita, sel: Nodo): Nodo {
  return v.udp || pieno(v, sel) ? sel : nodoAmbito(contesto);
}

/**
 * The document of a family page (sportello, sociali, economici, mese): the envelope every one of
 * them shares, around the page's own figures, tables and charts.
 */
export function documentoFamiglia(a: {
  pagina: 'sportello' | 'sociali' | 'economici' | 'mese';
  titolo: string;
  f: Filtri;
  contesto: Contesto;
  sel: Nodo;
  det: Nodo;
  R: Riservatezza;
  es: Esito;
  sintesi: Indicatore[];
  tabelle: Tabella[];
  grafici: Grafico[];
  avvisi: string[];
}): Documento {
  return {
    pagina: a.pagina,
    titolo: a.titolo,
    filtri: filtriDoc(a.f, a.pagina),
    dati_al: a.contesto.dati_al,
    oggi: a.contesto.oggi,
    selezione: { id: a.sel.id, tipo: a.sel.tipo, etichetta: a.sel.etichetta, comuni: a.sel.comuni.length },
    dettaglio: { id: a.det.id, etichetta: a.det.etichetta },
    riservatezza: riservatezzaDoc(a.R, a.es),
    sintesi: a.sintesi,
    tabelle: a.tabelle,
    grafici: a.grafici,
    avvisi: a.avvisi,
  };
}

export function avvisoDettaglio(sel: Nodo, det: Nodo): string | null {
  if (sel.id === det.id) return null;
  return `Le ripartizioni (per area utenza, motivo, problema, prestazione) sono mostrate per l'intero ambito: per tutela della riservatezza quelle di ${sel.etichetta} sono visibili solo all'Ufficio di Piano${sel.tipo === 'comune' ? ' e al comune stesso' : ''}.`;
}

/** The area filter of the comparisons between comuni: applied for the UdP only. */
export function areaConfronto(v: Visibilita, f: Filtri): Filtri['area'] {
  return v.udp ? f.area : null;
}

export function avvisoArea(v: Visibilita, f: Filtri): string | null {
  if (v.udp || !f.area) return null;
  return `Il filtro «${ETICHETTE_AREA[f.area]}» si applica alle ripartizioni del tuo comune; i confronti tra comuni e gruppi comprendono tutte le aree (riservatezza).`;
}

export function etichettaArea(a: string): string {
  return (ETICHETTE_AREA as Record<string, string>)[a] ?? a;
}

export { AREE, AMBITO };
