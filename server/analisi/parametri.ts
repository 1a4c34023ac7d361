import { HttpError } from '../web/errori';
import type { Utente } from '../auth/tipi';
import { AccessoNegato } from '../auth/permessi';
import type { ComuneInfo, Contesto } from '../cruscotto/contesto';
import { codiceIstat, scelta } from '../web/parametri';

/**
 * The parameters of the analysis pages (docs/analisi.md, "Parametri"): dal, al (AAAA-MM-GG),
 * one of comune / cluster / distretto, and on the /api/ twin formato and tabella. Anything else,
 * or a wrong value, is a 400 saying what is allowed, as on the other pages.
 */
export interface ParametriAnalisi {
  dal: string;
  al: string;
  comune: string | null;
  cluster: number | null;
  distretto: string | null;
  formato: 'json' | 'csv';
  tabella: string | null;
  /** The comuni of the selection, in name order. */
  comuni: ComuneInfo[];
  /** In words, for the page and the document. */
  etichetta: string;
}

const AMMESSI = ['dal', 'al', 'comune', 'cluster', 'distretto'];
const bad = (m: string) => new HttpError(400, `Parametro non valido: ${m}.`);

export function data(q: Record<string, unknown>, nome: string): string | null {
  const v = q[nome];
  if (v === undefined || v === '') return null;
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw bad(`«${nome}» è una data AAAA-MM-GG, per esempio 2025-01-01`);
  const d = new Date(`${v}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) throw bad(`«${nome}»: ${v} non è una data del calendario`);
  return v;
}

/** Every key is one of `ammessi` and a plain value: otherwise a 400 saying what is allowed. */
export function soloAmmessi(q: Record<string, unknown>, ammessi: string[]): void {
  for (const [k, v] of Object.entries(q)) {
    if (!ammessi.includes(k)) throw bad(`«${k}» non è un parametro di questa pagina (ammessi: ${ammessi.join(', ')})`);
    if (typeof v !== 'string') throw bad(`«${k}» è ripetuto o non è un valore semplice`);
  }
}

/**
 * `tutte` of a page (never of the /api/ twin, whose JSON and CSV carry every row): `1` shows
 * every row of its long tables instead of the first RIGHE_PAGINA (server/cruscotto/presentazione.ts).
 */
export function tutteLeRighe(q: Record<string, unknown>): boolean {
  if (q.tutte === undefined) return false;
  if (q.tutte !== '1') throw bad('«tutte» vale 1 (mostra tutte le righe)');
  return true;
}

/** `formato` (json, csv) and `tabella` (one of `tabelle`, with csv only) of the /api/ twin. */
export function formatoTabella(q: Record<string, unknown>, tabelle: readonly string[]): { formato: 'json' | 'csv'; tabella: string | null } {
  const formato = scelta(q, 'formato', ['json', 'csv'] as const) ?? 'json';
  const tabella = scelta(q, 'tabella', tabelle);
  if (tabella && formato !== 'csv') throw bad('«tabella» si usa con formato=csv');
  return { formato, tabella };
}

/** The extract's date, never after today (a clock behind the extract must not make the default a 400). */
export function riferimento(contesto: Contesto): string {
  return contesto.dati_al && contesto.dati_al < contesto.oggi ? contesto.dati_al : contesto.oggi;
}

/** A period from `dal` and `al` as given: `al` by default the extract's date, `dal` the first of its year; 2000 to today. */
export function periodoDalAl(dalQ: string | null, alQ: string | null, contesto: Contesto): { dal: string; al: string } {
  const al = alQ ?? riferimento(contesto);
  const dal = dalQ ?? `${al.slice(0, 4)}-01-01`;
  if (dal > al) throw bad(`«dal» (${dal}) viene dopo «al» (${al})`);
  if (dal < '2000-01-01' || al > contesto.oggi) throw bad(`il periodo va dal 2000-01-01 a oggi (${contesto.oggi})`);
  return { dal, al };
}

/** The comuni of the selection (one comune, a cluster, a distretto or the ambito), in name order, and its name in words. */
export function comuniDellaSelezione(contesto: Contesto, comune: string | null, cluster: number | null, distretto: string | null): { comuni: ComuneInfo[]; etichetta: string } {
  if (comune) {
    const c = contesto.perIstat.get(comune);
    return { comuni: c ? [c] : [], etichetta: c ? `Comune di ${c.nome}` : `Comune ${comune}` };
  }
  if (cluster !== null) return { comuni: contesto.comuni.filter((c) => c.cluster === cluster), etichetta: `Cluster ${cluster}` };
  if (distretto) return { comuni: contesto.comuni.filter((c) => c.distretto === distretto), etichetta: `Distretto di ${distretto}` };
  return { comuni: contesto.comuni, etichetta: "Tutto l'ambito" };
}

export function parseParametri(query: unknown, contesto: Contesto, user: Utente, opts: { api: boolean; tabelle: readonly string[] }): ParametriAnalisi {
  const q = (query ?? {}) as Record<string, unknown>;
  const ammessi = [...AMMESSI, ...(opts.api ? ['formato', 'tabella'] : [])];
  soloAmmessi(q, ammessi);
  // «al» is read first: with both wrong, its message is the one given.
  const alQ = data(q, 'al');
  const { dal, al } = periodoDalAl(data(q, 'dal'), alQ, contesto);
  let comune = codiceIstat(q, 'comune');
  const clusterTxt = scelta(q, 'cluster', contesto.cluster.map(String));
  const distretto = scelta(q, 'distretto', contesto.distretti);
  if (clusterTxt && distretto) throw bad('si sceglie un cluster oppure un distretto, non entrambi');
  const { formato, tabella } = formatoTabella(q, opts.tabelle);
  if (comune && !contesto.perIstat.has(comune)) throw bad(`il comune ${comune} non è tra i comuni attivi dell'ambito`);
  // A comune account sees its own comune only (docs/analisi.md, "Chi vede che cosa").
  if (user.ruolo === 'comune') {
    if (!user.codice_istat) throw new AccessoNegato('Accesso negato: il profilo non è legato a un comune.');
    if ((comune && comune !== user.codice_istat) || clusterTxt || distretto) throw new AccessoNegato('Accesso negato: il profilo di un comune vede solo il proprio comune.');
    comune = user.codice_istat;
  }
  const cluster = clusterTxt ? Number(clusterTxt) : null;
  return { dal, al, comune, cluster, distretto, formato, tabella, ...comuniDellaSelezione(contesto, comune, cluster, distretto) };
}
