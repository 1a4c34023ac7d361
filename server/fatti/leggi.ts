import type { Database } from '../db';
import type { Chiavi } from './calcola';
import { fonteDati, versioneAnagrafe } from './fonte';
import { notteInCorso } from './notte';

/** The current computation of the facts, when it was made from the data as it is now. */
export interface StatoFatti {
  fonte: string;
  calcolato_il: string;
  dati_al: string | null;
  chiavi: Chiavi;
  /**
   * The data changed since the facts were computed and an import or a job is running (the
   * facts will be computed again at the end of the chain): the pages show them, saying the date
   * of their data (`dati_al`), instead of scanning tables that are being rewritten.
   */
  provvisori: boolean;
}

/**
 * The facts, when they are current: computed from the data version of now (server/fatti/fonte.ts),
 * or computed before an import or a job that is running now (`provvisori`). Null when never
 * computed, or stale with nothing running (an import, a change of the active comuni or a
 * migration since): the caller then computes the figures from the data itself, exact and slower.
 */
export async function fattiCorrenti(db: Database): Promise<StatoFatti | null> {
  const row = (await db.knex('fatti_stato').where({ id: 1 }).first()) as (Omit<StatoFatti, 'chiavi' | 'provvisori'> & { chiavi: Chiavi | string }) | undefined;
  if (!row) return null;
  const provvisori = row.fonte !== (await fonteDati(db.knex));
  if (provvisori && !(await notteInCorso(db))) return null;
  return { fonte: row.fonte, calcolato_il: String(row.calcolato_il), dati_al: row.dati_al ?? null, chiavi: typeof row.chiavi === 'string' ? (JSON.parse(row.chiavi) as Chiavi) : row.chiavi, provvisori };
}

/** The warning of a page whose figures are provisional facts (null when they are current). */
export function avvisoProvvisori(s: StatoFatti | null): string | null {
  if (!s?.provvisori) return null;
  const d = s.dati_al ? `${s.dati_al.slice(8, 10)}/${s.dati_al.slice(5, 7)}/${s.dati_al.slice(0, 4)}` : 'precedenti';
  return `Aggiornamento in corso: le cifre sono quelle dei dati SIZ al ${d}, calcolate prima delle importazioni in corso; la pagina si aggiorna al termine.`;
}

const num = <T extends Record<string, unknown>>(r: T, ...campi: (keyof T)[]): T => {
  for (const c of campi) r[c] = Number(r[c]) as T[keyof T];
  return r;
};

/** sportello_aree.sql's rows for a year (null: the year is not among the facts). */
export async function sportelloAree(db: Database, s: StatoFatti | null, anno: number): Promise<{ codice_istat: string; area: string; accessi: number; nuovi: number }[] | null> {
  if (!s?.chiavi.anni.includes(anno)) return null;
  const rows = await db.knex('fatti_sportello').where({ anno }).select('codice_istat', 'area', 'accessi', 'nuovi');
  return rows.map((r) => num(r, 'accessi', 'nuovi'));
}

/**
 * The motivi or (without a motivo chosen) the problemi of a year, per comune and area: what
 * sportello_motivi.sql and sportello_problemi.sql give for each area, all areas at once.
 */
export async function sportelloCategorie(db: Database, s: StatoFatti | null, anno: number, lista: 'motivi' | 'problemi'): Promise<{ codice_istat: string; area: string; categoria: string; n: number }[] | null> {
  if (!s?.chiavi.anni.includes(anno)) return null;
  const rows = await db.knex('fatti_sportello_categorie').where({ anno, lista }).select('codice_istat', 'area', 'categoria', 'n');
  return rows.map((r) => num(r, 'n'));
}

/** non_attribuiti.sql's row for a year. */
export async function nonAttribuiti(db: Database, s: StatoFatti | null, anno: number): Promise<{ accessi: number; cartelle: number; prestazioni: number } | null> {
  if (!s?.chiavi.anni.includes(anno)) return null;
  const r = await db.knex('fatti_non_attribuiti').where({ anno }).first('accessi', 'cartelle', 'prestazioni');
  return r ? num(r, 'accessi', 'cartelle', 'prestazioni') : null;
}

/** sociali_persone.sql and sociali_cartelle.sql's rows for a year and the day `aperte` refers to. */
export async function sociali(db: Database, s: StatoFatti | null, anno: number, giorno: string): Promise<{ misura: string; codice_istat: string; area: string; n: number }[] | null> {
  if (!s?.chiavi.anni.includes(anno) || s.chiavi.giorni[String(anno)] !== giorno) return null;
  const rows = await db.knex('fatti_sociali').where({ anno }).select('misura', 'codice_istat', 'area', 'n');
  return rows.map((r) => num(r, 'n'));
}

/** economici.sql's rows for a year. */
export async function economici(db: Database, s: StatoFatti | null, anno: number): Promise<Record<string, unknown>[] | null> {
  if (!s?.chiavi.anni.includes(anno)) return null;
  const rows = await db.knex('fatti_economici').where({ anno }).select('codice_istat', 'codice_prestazione', 'area', 'n', 'costo', 'quota_comune', 'recupero_assistito', 'recupero_famiglia', 'recupero_altri_enti', 'recupero_altri');
  // numeric columns come back as strings from PostgreSQL (as from economici.sql: the caller converts)
  return rows as Record<string, unknown>[];
}

/**
 * The rows of several years of a facts table at once, with the year (for «Anni a confronto»,
 * server/cruscotto/anni-dati.ts): the caller asks only years among `chiavi.anni`.
 */
export async function righeAnni<T>(db: Database, tabella: 'fatti_sportello' | 'fatti_sportello_categorie' | 'fatti_sociali' | 'fatti_economici', anni: number[], colonne: string[]): Promise<T[]> {
  return (await db.knex(tabella).whereIn('anno', anni).select('anno', ...colonne)) as T[];
}

/**
 * sql/queries/analisi/ripartizioni.sql's figures for a whole year of one comune, or (comune
 * null) of the whole ambito, one row per dimension and category (null: the year is not among
 * the facts, or the registry, where a person's sesso comes from, was imported since).
 */
export async function ripartizioni(db: Database, s: StatoFatti | null, anno: number, comune: string | null): Promise<{ dim: string; cat: string; accessi: number; persone: number }[] | null> {
  if (!s?.chiavi.anni.includes(anno) || s.chiavi.anagrafe !== (await versioneAnagrafe(db.knex))) return null;
  const q = db.knex('fatti_ripartizioni').where({ anno });
  const rows = await (comune === null ? q.whereNull('codice_istat') : q.where({ codice_istat: comune })).select('dim', 'cat', 'accessi', 'persone');
  return rows.map((r) => num(r, 'accessi', 'persone'));
}

/** codici.sql's rows. */
export async function codici(db: Database, s: StatoFatti | null): Promise<{ codice_prestazione: string; descrizione: string | null }[] | null> {
  if (!s) return null;
  return db.knex('fatti_codici').select('codice_prestazione', 'descrizione');
}

/** mese.sql's rows for a month and the one before (null: either month is not among the facts). */
export async function mese(db: Database, s: StatoFatti | null, m: string, prec: string): Promise<{ misura: string; codice_istat: string; area: string; n: number }[] | null> {
  if (!s?.chiavi.mesi.includes(m) || !s.chiavi.mesi.includes(prec)) return null;
  const rows = (await db.knex('fatti_mese').whereIn('mese', [m, prec]).select('mese', 'misura', 'codice_istat', 'area', 'n')) as { mese: string; misura: string; codice_istat: string; area: string; n: number }[];
  return rows.map((r) => ({ misura: `${r.misura}_${r.mese === m ? 'mese' : 'prec'}`, codice_istat: r.codice_istat, area: r.area, n: Number(r.n) }));
}

/** mese_top.sql's rows for a month. */
export async function meseTop(db: Database, s: StatoFatti | null, m: string): Promise<{ lista: string; codice_istat: string; categoria: string; area: string; n: number }[] | null> {
  if (!s?.chiavi.mesi.includes(m)) return null;
  const rows = await db.knex('fatti_mese_top').where({ mese: m }).select('lista', 'codice_istat', 'categoria', 'area', 'n');
  return rows.map((r) => num(r, 'n'));
}

/**
 * The rows in one fixed order (by the given columns, as plain strings): the suppression picks
 * its secondary cells in the order the categories and comuni were met, so the figures read from
 * the facts and from the data must arrive in the same order, and a query plan must not decide it.
 */
export function ordinate<T extends object>(rows: readonly T[], ...colonne: (keyof T)[]): T[] {
  const prima = confrontoPer(colonne);
  // Rows kept already in this order (server/cruscotto/righe-compatte.ts) are only checked.
  for (let i = 1; i < rows.length; i++) if (prima(rows[i - 1], rows[i]) > 0) return [...rows].sort(prima);
  return [...rows];
}

/**
 * The order of ordinate: column by column as plain strings, the first that differs decides
 * (the order of the texts joined by U+0000, which no text of the database holds); a stable sort.
 */
export function confrontoPer<T extends object>(colonne: readonly (keyof T)[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const c of colonne) {
      const va = a[c];
      const vb = b[c];
      const x = typeof va === 'string' ? va : String(va ?? '');
      const y = typeof vb === 'string' ? vb : String(vb ?? '');
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}
