import { dataIt } from './testi';
import type { Contesto } from './contesto';
import { ETICHETTA_CLUSTER } from './contesto';
import type { Documento, Grafico } from './documento';
import { AREE, ETICHETTE_AREA, Filtri, Pagina, queryString, etichettaPeriodo } from './filtri';
import { Cella, formatta, Tabella } from './tabella';
import { svgBarraObiettivo } from './svg';
import type { Visibilita } from './nodi';

/**
 * From the JSON document of a page to what the Handlebars templates render: formatted cells
 * (the same formatting the browser tests apply to the API values), links, the filter form,
 * the chart payloads and the print heading. No figure is computed here.
 */
export interface CellaVista {
  testo: string;
  num: boolean;
  /** A date: kept whole on one line when printed. */
  data: boolean;
  link?: string;
  /** `<3` / `riservato`: styled and explained. */
  soppressa: boolean;
}

export interface TabellaVista {
  id: string;
  titolo: string;
  nota?: string;
  intestazioni: { etichetta: string; num: boolean }[];
  righe: { celle: CellaVista[] }[];
  totali: { celle: CellaVista[] }[];
  csv: string | null;
  /** A long table shown in part: how many rows of how many, and the link to all of them. */
  troncata?: { mostrate: string; totale: string; tutte: string };
}

/**
 * Rows a page shows of a long table (the JSON and the CSV always carry all of them). At the
 * scale of a region the overview lists 1,500 comuni: a megabyte of HTML that nobody scrolls on a
 * phone, and the slowest page. The first rows in the table's own order, then a link to all.
 */
export const RIGHE_PAGINA = 100;

const NUM = new Set(['numero', 'importo', 'percentuale']);

export function vistaTabella(t: Tabella, link: (riga: Record<string, Cella>, chiave: string) => string | undefined, csv: string | null, parziale?: { tutte: string }): TabellaVista {
  const cella = (r: Record<string, Cella>, chiave: string, tipo: string, conLink: boolean): CellaVista => {
    const v = r[chiave] ?? null;
    return {
      testo: formatta(v, tipo as never),
      num: NUM.has(tipo),
      data: tipo === 'data',
      link: conLink ? link(r, chiave) : undefined,
      soppressa: v === '<3' || v === 'riservato',
    };
  };
  return {
    id: t.id,
    titolo: t.titolo,
    nota: t.nota,
    intestazioni: t.colonne.map((c) => ({ etichetta: c.etichetta, num: NUM.has(c.tipo) })),
    righe: (parziale && t.righe.length > RIGHE_PAGINA ? t.righe.slice(0, RIGHE_PAGINA) : t.righe).map((r) => ({ celle: t.colonne.map((c) => cella(r, c.chiave, c.tipo, true)) })),
    totali: (t.totali ?? []).map((r) => ({ celle: t.colonne.map((c) => cella(r, c.chiave, c.tipo, false)) })),
    csv,
    troncata: parziale && t.righe.length > RIGHE_PAGINA ? { mostrate: formatta(RIGHE_PAGINA, 'numero'), totale: formatta(t.righe.length, 'numero'), tutte: parziale.tutte } : undefined,
  };
}

export interface Opzione {
  valore: string;
  etichetta: string;
  selezionata: boolean;
}

export interface CampoFiltro {
  nome: string;
  etichetta: string;
  opzioni?: Opzione[];
  /** `month` input for mese. */
  mese?: string;
  /** `date` input for dal and al (the value, or '' when not chosen). */
  tipoData?: boolean;
  data?: string;
  aiuto?: string;
}

export interface FormFiltri {
  azione: string;
  schede: { etichetta: string; href: string; attiva: boolean }[];
  campi: CampoFiltro[];
  nascosti: { nome: string; valore: string }[];
  reset: string;
}

const opz = (valore: string | number, etichetta: string, scelto: unknown): Opzione => ({ valore: String(valore), etichetta, selezionata: String(scelto ?? '') === String(valore) });

/**
 * The GET form of a family page: the URL always holds the filters (bookmarkable). It offers only
 * what the account may choose and what applies (server/cruscotto/routes.ts): outside the office
 * the month is for the ambito and the own comune only (no cluster, distretto, other comuni, nor
 * the cluster/distretto tabs), and the area and motivo filters apply only to the own comune's
 * figures, so they are offered only when the own comune is the selection.
 */
export function formFiltri(pagina: Pagina, path: string, contesto: Contesto, f: Filtri, extra: { motivi?: string[]; v?: Visibilita } = {}): FormFiltri {
  const udp = extra.v?.udp ?? true;
  const proprio = extra.v?.proprio ?? null;
  const meseRistretto = pagina === 'mese' && !udp;
  const dettaglio = udp || (proprio !== null && f.comune === proprio);
  const base = (vista: 'cluster' | 'distretto') => `${path}${queryString({ vista: vista === 'cluster' ? null : vista, anno: pagina === 'mese' || f.dal ? null : f.anno, dal: f.dal, al: f.al, mese: pagina === 'mese' ? f.mese : null, area: f.area })}`;
  const campi: CampoFiltro[] = [];
  if (pagina === 'mese') campi.push({ nome: 'mese', etichetta: 'Mese', mese: f.mese });
  else {
    // A range of days (dal/al) is offered where the period rule allows it (docs/riservatezza.md):
    // the office, and a comune's account with its own comune chosen.
    const periodo = dettaglio;
    campi.push({ nome: 'anno', etichetta: 'Anno', opzioni: [...(periodo && f.dal ? [opz('', 'Periodo dal/al', '')] : []), ...contesto.anni.map((a) => opz(a, String(a), f.dal ? null : f.anno))] });
    if (periodo) {
      const aiuto = udp ? undefined : 'Solo con il proprio comune scelto';
      campi.push({ nome: 'dal', etichetta: 'Dal (al posto dell\'anno)', tipoData: true, data: f.dal ?? '', aiuto }, { nome: 'al', etichetta: 'Al', tipoData: true, data: f.al ?? '', aiuto });
    }
  }
  if (meseRistretto) {
    const mio = proprio ? contesto.perIstat.get(proprio) : undefined;
    if (mio) campi.push({ nome: 'comune', etichetta: 'Selezione', opzioni: [opz('', "Tutto l'ambito", f.comune), opz(mio.codice_istat, mio.nome, f.comune)] });
  } else {
    if (f.vista === 'cluster') campi.push({ nome: 'cluster', etichetta: 'Cluster per numero di abitanti', opzioni: [opz('', 'Tutti i cluster', f.cluster), ...contesto.cluster.map((k) => opz(k, ETICHETTA_CLUSTER(k), f.cluster))] });
    else campi.push({ nome: 'distretto', etichetta: 'Distretto', opzioni: [opz('', 'Tutti i distretti', f.distretto), ...contesto.distretti.map((d) => opz(d, d, f.distretto))] });
    const comuni = contesto.comuni.filter((c) => (f.cluster == null || c.cluster === f.cluster) && (f.distretto == null || c.distretto === f.distretto));
    campi.push({ nome: 'comune', etichetta: 'Comune', opzioni: [opz('', 'Tutti i comuni della selezione', f.comune), ...comuni.map((c) => opz(c.codice_istat, c.nome, f.comune))] });
  }
  if (dettaglio) campi.push({ nome: 'area', etichetta: 'Area utenza', opzioni: [opz('', 'Tutte le aree', f.area), ...AREE.map((a) => opz(a, ETICHETTE_AREA[a], f.area))] });
  if (extra.motivi && dettaglio) {
    const motivi = f.motivo && !extra.motivi.includes(f.motivo) ? [f.motivo, ...extra.motivi] : extra.motivi;
    campi.push({ nome: 'motivo', etichetta: 'Motivo di accesso (filtra i problemi)', opzioni: [opz('', 'Tutti i motivi', f.motivo), ...motivi.map((m) => opz(m, m, f.motivo))] });
  }
  return {
    azione: path,
    schede: meseRistretto ? [] : (['cluster', 'distretto'] as const).map((v) => ({ etichetta: v === 'cluster' ? 'Vista per cluster' : 'Vista per distretto', href: base(v), attiva: f.vista === v })),
    campi,
    nascosti: f.vista === 'distretto' && !meseRistretto ? [{ nome: 'vista', valore: 'distretto' }] : [],
    reset: path,
  };
}

/** The filters in words, for the print heading and the page's summary line. */
export function descriviFiltri(pagina: Pagina, contesto: Contesto, f: Filtri): string {
  const parti: string[] = [];
  if (pagina === 'mese') parti.push(`Mese ${f.mese.slice(5)}/${f.mese.slice(0, 4)}`);
  else if (pagina !== 'panoramica' && pagina !== 'qualita') parti.push(f.dal ? `Periodo ${etichettaPeriodo(f)}` : `Anno ${f.anno}`);
  if (f.comune) parti.push(`Comune di ${contesto.perIstat.get(f.comune)?.nome ?? f.comune}`);
  if (f.cluster != null) parti.push(ETICHETTA_CLUSTER(f.cluster));
  if (f.distretto) parti.push(`Distretto di ${f.distretto}`);
  if (!f.comune && f.cluster == null && !f.distretto && pagina !== 'comune') parti.push('Intero ambito');
  if (pagina !== 'panoramica' && pagina !== 'qualita' && pagina !== 'comune') parti.push(`Vista per ${f.vista}`);
  if (f.area) parti.push(`Area: ${ETICHETTE_AREA[f.area].toLowerCase()}`);
  if (f.motivo) parti.push(`Motivo: ${f.motivo}`);
  return parti.join(' · ');
}

/** A chart's payload for the `data-grafico` attribute (escaped by Handlebars). */
export function vistaGrafico(g: Grafico): { id: string; titolo: string; dati: string; tabella?: string; alto: boolean; svg?: string } {
  const n = g.categorie.length;
  // The headline bar is drawn here: it is on the first screen, where a chart library would be
  // the slowest thing a phone loads.
  const svg = g.tipo === 'barra_obiettivo' ? svgBarraObiettivo(g.serie[0]?.dati[0] ?? null, g.obiettivo ?? 80, g.titolo) : undefined;
  return { id: g.id, titolo: g.titolo, dati: JSON.stringify(g), tabella: g.tabella, alto: g.tipo === 'barre_orizzontali' && n > 12, svg };
}

/** What every cruscotto page passes to the layout and the shared partials. */
export function baseVista(doc: Documento, contesto: Contesto, descrizione: string) {
  return {
    title: doc.titolo,
    doc,
    datiAl: doc.dati_al,
    stampa: { filtri: descrizione, dati_al: doc.dati_al ? dataIt(doc.dati_al) : 'nessuna estrazione SIZ importata', oggi: dataIt(contesto.oggi) },
    // The charts' script and stylesheet are loaded only where a chart is (views/layouts/main.hbs).
    conGrafici: doc.grafici.some((g) => g.tipo !== 'barra_obiettivo'),
  };
}
