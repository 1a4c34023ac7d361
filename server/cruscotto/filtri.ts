import { z } from 'zod';
import { HttpError } from '../app';
import type { Contesto } from './contesto';
import { CONTROLLI } from '../qualita/controlli';

/**
 * The filters of the cruscotto pages, from the query string (interfaces.md: anno, cluster,
 * distretto, comune, area, motivo, mese; plus vista, ordina, controllo, formato, tabella).
 * Every parameter is validated; anything wrong is a 400 with an Italian message, never a 500.
 */
export const AREE = ['minori', 'adulti', 'anziani', 'non_indicata'] as const;
export type Area = (typeof AREE)[number];
export const ETICHETTE_AREA: Record<Area, string> = { minori: 'Minori', adulti: 'Adulti', anziani: 'Anziani', non_indicata: 'Area non indicata' };

export type Vista = 'cluster' | 'distretto';

export interface Filtri {
  anno: number;
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
}

export type Pagina = 'panoramica' | 'comune' | 'sportello' | 'sociali' | 'economici' | 'mese' | 'qualita';

/** The parameters each page accepts (formato and tabella only on the /api/ twin). */
const AMMESSI: Record<Pagina, (keyof Filtri)[]> = {
  panoramica: ['vista', 'cluster', 'distretto', 'ordina'],
  comune: ['anno'],
  sportello: ['anno', 'vista', 'cluster', 'distretto', 'comune', 'area', 'motivo'],
  sociali: ['anno', 'vista', 'cluster', 'distretto', 'comune', 'area'],
  economici: ['anno', 'vista', 'cluster', 'distretto', 'comune', 'area'],
  mese: ['mese', 'vista', 'cluster', 'distretto', 'comune', 'area'],
  qualita: ['comune', 'controllo'],
};

const testo = (max: number) => z.string().trim().min(1).max(max);

const schema = z
  .object({
    anno: z.string().regex(/^\d{4}$/, 'indicare un anno di quattro cifre, per esempio 2025').transform(Number),
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
  })
  .partial()
  .strict();

function bad(message: string): HttpError {
  return new HttpError(400, `Parametro non valido: ${message}.`);
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
export function parseFiltri(query: unknown, pagina: Pagina, ctx: Contesto, opts: { api: boolean }): Filtri {
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(v)) throw bad(`"${k}" è ripetuto`);
    if (typeof v !== 'string') throw bad(`"${k}" non è un valore semplice`);
    if (v.trim() === '') continue; // an empty field of the GET form = not chosen
    const ammessi: string[] = [...AMMESSI[pagina], ...(opts.api ? ['formato', 'tabella'] : [])];
    if (!ammessi.includes(k)) throw bad(`"${k}" non è un filtro di questa pagina (ammessi: ${ammessi.join(', ')})`);
    raw[k] = v;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw bad(`${String(i.path[0] ?? '')}: ${i.message}`);
  }
  const q = parsed.data;
  const annoOggi = Number(ctx.oggi.slice(0, 4));
  const riferimento = ctx.dati_al ?? ctx.oggi;
  if (q.anno !== undefined && (q.anno < 2000 || q.anno > annoOggi)) throw bad(`anno: indicare un anno tra 2000 e ${annoOggi}`);
  if (q.mese !== undefined && (q.mese < '2000-01' || q.mese > ctx.oggi.slice(0, 7))) throw bad(`mese: indicare un mese tra 2000-01 e ${ctx.oggi.slice(0, 7)}`);
  if (q.cluster !== undefined && q.distretto !== undefined) throw bad('scegliere un cluster oppure un distretto, non entrambi');
  if (q.cluster !== undefined && !ctx.cluster.includes(q.cluster)) throw bad(`nessun comune dell'ambito è nel cluster ${q.cluster}`);
  if (q.distretto !== undefined && !ctx.distretti.includes(q.distretto)) throw bad(`distretto "${q.distretto}" sconosciuto (distretti: ${ctx.distretti.join(', ')})`);
  if (q.comune === 'non_attribuito' && pagina !== 'qualita') throw bad('il comune è un codice ISTAT di 6 cifre, per esempio 098031');
  if (q.comune !== undefined && q.comune !== 'non_attribuito') {
    const c = ctx.perIstat.get(q.comune);
    if (!c) throw bad(`il comune ${q.comune} non è tra i comuni attivi dell'ambito`);
    if (q.cluster !== undefined && c.cluster !== q.cluster) throw bad(`il comune ${c.nome} non è nel cluster ${q.cluster}`);
    if (q.distretto !== undefined && c.distretto !== q.distretto) throw bad(`il comune ${c.nome} non è nel distretto ${q.distretto}`);
  }
  if (q.vista === 'cluster' && q.distretto !== undefined) throw bad('con la vista per cluster si sceglie un cluster, non un distretto');
  if (q.vista === 'distretto' && q.cluster !== undefined) throw bad('con la vista per distretto si sceglie un distretto, non un cluster');
  if (q.controllo !== undefined && !CONTROLLI.some((c) => c.id === q.controllo)) throw bad(`controllo "${q.controllo}" sconosciuto (controlli: ${CONTROLLI.map((c) => c.id).join(', ')})`);
  if (q.tabella !== undefined && q.formato !== 'csv') throw bad('"tabella" si usa con formato=csv');
  return {
    anno: q.anno ?? Number(riferimento.slice(0, 4)),
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
  };
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
  for (const k of AMMESSI[pagina]) out[k] = f[k];
  return out as Partial<Filtri>;
}
