import { z } from 'zod';
import { HttpError } from '../web/errori';
import type { Contesto } from './contesto';
import { CONTROLLI } from '../qualita/controlli';

/**
 * The filters of the cruscotto pages, from the query string (docs/interfacce.md, "Web": anno,
 * cluster, distretto, comune, area, motivo, mese; plus vista, ordina, controllo, formato, tabella).
 * Every parameter is validated; anything wrong is a 400 with an Italian message, never a 500.
 */
export const AREE = ['minori', 'adulti', 'anziani', 'non_indicata'] as const;
export type Area = (typeof AREE)[number];
export const ETICHETTE_AREA: Record<Area, string> = { minori: 'Minori', adulti: 'Adulti', anziani: 'Anziani', non_indicata: 'Area non indicata' };

export type Vista = 'cluster' | 'distretto';

/** A range of days, both ends included (AAAA-MM-GG). */
export interface Periodo {
  dal: string;
  al: string;
}

export interface Filtri {
  anno: number;
  /**
   * A range of days in place of the year (family pages; docs/cruscotto.md, «Un periodo
   * qualunque»): both set or both null. `anno` is then the year of `al`.
   */
  dal: string | null;
  al: string | null;
  vista: Vista;
  cluster: number | null;
  distretto: string | null;
  comune: string | null;
  area: Area | null;
  motivo: string | null;
  /** YYYY-MM */
  mese: string;
  ordina: 'digit' | 'nome' | 'stato';
  controllo: string | null;
  formato: 'json' | 'csv';
  tabella: string | null;
  /** The filter the person changed last (set by the form's script), to settle a conflict. */
  ultimo: 'cluster' | 'distretto' | 'comune' | null;
  /** When two choices did not go together: what was kept and what was dropped, in words. */
  avviso: string | null;
  /** Pages only (`tutte=1`): every row of long tables, not the first RIGHE_PAGINA. */
  tutte: boolean;
}

export type Pagina = 'panoramica' | 'comune' | 'sportello' | 'sociali' | 'economici' | 'mese' | 'qualita';

/** The parameters each page accepts (formato and tabella only on the /api/ twin). */
const AMMESSI: Record<Pagina, (keyof Filtri)[]> = {
  panoramica: ['vista', 'cluster', 'distretto', 'ordina'],
  comune: ['anno'],
  sportello: ['anno', 'dal', 'al', 'vista', 'cluster', 'distretto', 'comune', 'area', 'motivo', 'ultimo'],
  sociali: ['anno', 'dal', 'al', 'vista', 'cluster', 'distretto', 'comune', 'area', 'ultimo'],
  economici: ['anno', 'dal', 'al', 'vista', 'cluster', 'distretto', 'comune', 'area', 'ultimo'],
  mese: ['mese', 'vista', 'cluster', 'distretto', 'comune', 'area', 'ultimo'],
  qualita: ['comune', 'controllo'],
};

const testo = (max: number) => z.string().trim().min(1).max(max);

const schema = z
  .object({
    anno: z.string().regex(/^\d{4}$/, 'indicare un anno di quattro cifre, per esempio 2025').transform(Number),
    dal: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'una data AAAA-MM-GG, per esempio 2025-01-01'),
    al: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'una data AAAA-MM-GG, per esempio 2025-12-31'),
    vista: z.enum(['cluster', 'distretto'], { message: 'la vista è "cluster" oppure "distretto"' }),
    cluster: z.string().regex(/^[1-6]$/, 'il cluster è un numero da 1 a 6').transform(Number),
    distretto: testo(100),
    comune: z.string().regex(/^(\d{6}|non_attribuito)$/, 'il comune è un codice ISTAT di 6 cifre, per esempio 098031'),
    area: z.enum(AREE, { message: `l'area utenza è una tra ${AREE.join(', ')}` }),
    motivo: testo(200),
    mese: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'il mese si scrive AAAA-MM, per esempio 2026-10'),
    ordina: z.enum(['digit', 'nome', 'stato'], { message: 'ordinamento: digit, nome oppure stato' }),
    controllo: z.string().regex(/^[a-z_]{3,60}$/, 'controllo non valido'),
    formato: z.enum(['json', 'csv'], { message: 'il formato è json oppure csv' }),
    tabella: z.string().regex(/^[a-z_]{1,40}$/, 'nome di tabella non valido'),
    ultimo: z.enum(['cluster', 'distretto', 'comune'], { message: 'ultimo: cluster, distretto oppure comune' }),
    tutte: z.literal('1', { message: 'tutte vale 1 (mostra tutte le righe)' }),
  })
  .partial()
  .strict();

function bad(message: string): HttpError {
  return new HttpError(400, `Parametro non valido: ${message}.`);
}

/**
 * `dal` and `al` (docs/cruscotto.md, «Un periodo qualunque»): real calendar days, `dal` not after
 * `al`, from 2000-01-01 to today; one alone takes the other as the analysis pages do (`al` the
 * date of the data, `dal` the 1st of January of `al`'s year). Beside `anno`, the range wins.
 */
function parsePeriodo(q: { anno?: number; dal?: string; al?: string }, contesto: Contesto): Periodo | null {
  if (q.dal === undefined && q.al === undefined) return null;
  for (const [nome, v] of [['dal', q.dal], ['al', q.al]] as const) {
    if (v === undefined) continue;
    const d = new Date(`${v}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) throw bad(`${nome}: ${v} non è una data del calendario`);
  }
  const riferimento = contesto.dati_al && contesto.dati_al < contesto.oggi ? contesto.dati_al.slice(0, 10) : contesto.oggi;
  const al = q.al ?? riferimento;
  const dal = q.dal ?? `${al.slice(0, 4)}-01-01`;
  if (dal > al) throw bad(`dal (${dal}) viene dopo al (${al})`);
  if (dal < '2000-01-01' || al > contesto.oggi) throw bad(`il periodo va dal 2000-01-01 a oggi (${contesto.oggi})`);
  return { dal, al };
}

/** The period of the filters: the range chosen, or the whole year. */
export function periodoDi(f: Pick<Filtri, 'anno' | 'dal' | 'al'>): Periodo {
  return f.dal && f.al ? { dal: f.dal, al: f.al } : { dal: `${f.anno}-01-01`, al: `${f.anno}-12-31` };
}

/** The period in words: «2025», or «dal 01/03/2024 al 28/02/2025». */
export function etichettaPeriodo(f: { anno?: number; dal?: string | null; al?: string | null }): string {
  const it = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
  return f.dal && f.al ? `dal ${it(f.dal)} al ${it(f.al)}` : String(f.anno);
}

/** The month before `mese` (YYYY-MM). */
export function mesePrecedente(mese: string): string {
  const [y, m] = mese.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Last day of a month, YYYY-MM-DD. */
export function fineMese(mese: string): string {
  const [y, m] = mese.split('-').map(Number);
  const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${mese}-${String(d).padStart(2, '0')}`;
}

/**
 * Parses and checks the query of `pagina` against the ambito (a comune, cluster or distretto
 * must exist; cluster and distretto exclude each other; a comune must belong to them).
 */
export function parseFiltri(query: unknown, pagina: Pagina, contesto: Contesto, opts: { api: boolean }): Filtri {
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(v)) throw bad(`"${k}" è ripetuto`);
    if (typeof v !== 'string') throw bad(`"${k}" non è un valore semplice`);
    if (v.trim() === '') continue; // an empty field of the GET form = not chosen
    const ammessi: string[] = [...AMMESSI[pagina], ...(opts.api ? ['formato', 'tabella'] : ['tutte'])];
    if (!ammessi.includes(k)) throw bad(`"${k}" non è un filtro di questa pagina (ammessi: ${ammessi.join(', ')})`);
    raw[k] = v;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw bad(`${String(i.path[0] ?? '')}: ${i.message}`);
  }
  const q = parsed.data;
  const annoOggi = Number(contesto.oggi.slice(0, 4));
  const riferimento = contesto.dati_al ?? contesto.oggi;
  if (q.anno !== undefined && (q.anno < 2000 || q.anno > annoOggi)) throw bad(`anno: indicare un anno tra 2000 e ${annoOggi}`);
  if (q.mese !== undefined && (q.mese < '2000-01' || q.mese > contesto.oggi.slice(0, 7))) throw bad(`mese: indicare un mese tra 2000-01 e ${contesto.oggi.slice(0, 7)}`);
  if (q.cluster !== undefined && !contesto.cluster.includes(q.cluster)) throw bad(`nessun comune dell'ambito è nel cluster ${q.cluster}`);
  if (q.distretto !== undefined && !contesto.distretti.includes(q.distretto)) throw bad(`distretto "${q.distretto}" sconosciuto (distretti: ${contesto.distretti.join(', ')})`);
  if (q.comune === 'non_attribuito' && pagina !== 'qualita') throw bad('il comune è un codice ISTAT di 6 cifre, per esempio 098031');
  if (q.comune !== undefined && q.comune !== 'non_attribuito' && !contesto.perIstat.get(q.comune)) throw bad(`il comune ${q.comune} non è tra i comuni attivi dell'ambito`);
  const periodo = parsePeriodo(q, contesto);
  // An anno beside a range (the form sends both): the range is the finer choice and wins.
  const annoTolto = periodo && q.anno !== undefined ? `È scelto il periodo ${etichettaPeriodo(periodo)}: il filtro dell'anno ${q.anno} è stato tolto.` : null;
  const conflitti = risolviConflitti(q, contesto);
  const avviso = annoTolto && conflitti ? `${annoTolto} ${conflitti}` : annoTolto ?? conflitti;
  if (q.controllo !== undefined && !CONTROLLI.some((c) => c.id === q.controllo)) throw bad(`controllo "${q.controllo}" sconosciuto (controlli: ${CONTROLLI.map((c) => c.id).join(', ')})`);
  if (q.tabella !== undefined && q.formato !== 'csv') throw bad('"tabella" si usa con formato=csv');
  return {
    anno: periodo ? Number(periodo.al.slice(0, 4)) : q.anno ?? Number(riferimento.slice(0, 4)),
    dal: periodo?.dal ?? null,
    al: periodo?.al ?? null,
    vista: q.vista ?? (q.distretto !== undefined ? 'distretto' : 'cluster'),
    cluster: q.cluster ?? null,
    distretto: q.distretto ?? null,
    comune: q.comune ?? null,
    area: q.area ?? null,
    motivo: q.motivo ?? null,
    mese: q.mese ?? meseCompleto(riferimento),
    ordina: q.ordina ?? 'digit',
    controllo: q.controllo ?? null,
    formato: q.formato ?? 'json',
    tabella: q.tabella ?? null,
    ultimo: q.ultimo ?? null,
    avviso,
    tutte: q.tutte === '1',
  };
}

/**
 * Choices that do not go together are settled, never refused: the latest choice is kept and the
 * page says what was dropped. A comune outside the chosen cluster or distretto: the form lists
 * only the comuni of the group, so without a script the group is the newer choice; the form's
 * script names the field changed last (`ultimo`). A cluster and a distretto together, or a view
 * that is not the group's: the group chosen (or, for both, the one of the view) wins.
 */
function risolviConflitti(q: { cluster?: number; distretto?: string; comune?: string; vista?: Vista; ultimo?: 'cluster' | 'distretto' | 'comune' }, contesto: Contesto): string | null {
  const detto: string[] = [];
  if (q.cluster !== undefined && q.distretto !== undefined) {
    const tieniDistretto = q.ultimo === 'distretto' || (q.ultimo !== 'cluster' && q.vista === 'distretto');
    if (tieniDistretto) {
      detto.push(`Si sceglie un cluster oppure un distretto: è tenuto il distretto di ${q.distretto}, il filtro del cluster ${q.cluster} è stato tolto.`);
      q.cluster = undefined;
    } else {
      detto.push(`Si sceglie un cluster oppure un distretto: è tenuto il cluster ${q.cluster}, il filtro del distretto di ${q.distretto} è stato tolto.`);
      q.distretto = undefined;
    }
  }
  const c = q.comune !== undefined && q.comune !== 'non_attribuito' ? contesto.perIstat.get(q.comune) : undefined;
  if (c) {
    const fuori = q.cluster !== undefined && c.cluster !== q.cluster ? `nel cluster ${q.cluster}` : q.distretto !== undefined && c.distretto !== q.distretto ? `nel distretto di ${q.distretto}` : null;
    if (fuori && q.ultimo === 'comune') {
      detto.push(`${c.nome} non è ${fuori}: è tenuto il comune scelto per ultimo, il filtro ${q.cluster !== undefined ? 'del cluster' : 'del distretto'} è stato tolto.`);
      q.cluster = undefined;
      q.distretto = undefined;
    } else if (fuori) {
      detto.push(`${c.nome} non è ${fuori}: è tenuto ${q.cluster !== undefined ? `il cluster ${q.cluster}` : `il distretto di ${q.distretto}`}, scelto per ultimo, e il filtro del comune è stato tolto.`);
      q.comune = undefined;
    }
  }
  if (q.vista === 'cluster' && q.distretto !== undefined) {
    q.vista = 'distretto';
    detto.push(`Con un distretto scelto la vista è per distretto.`);
  }
  if (q.vista === 'distretto' && q.cluster !== undefined) {
    q.vista = 'cluster';
    detto.push(`Con un cluster scelto la vista è per cluster.`);
  }
  return detto.length ? detto.join(' ') : null;
}

/** The last complete month of data: the data date's month if it is its last day, else the one before. */
export function meseCompleto(data: string): string {
  const mese = data.slice(0, 7);
  return fineMese(mese) === data.slice(0, 10) ? mese : mesePrecedente(mese);
}

/** The query string of some filters (for links that change one filter), without defaults. */
export function queryString(f: Partial<Record<string, string | number | null | undefined>>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== null && v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The filters a page's document reports: only those the page has. */
export function filtriDoc(f: Filtri, pagina: Pagina): Partial<Omit<Filtri, 'formato' | 'tabella'>> {
  const out: Record<string, unknown> = {};
  for (const k of AMMESSI[pagina]) if (k !== 'ultimo') out[k] = f[k];
  return out as Partial<Filtri>;
}
