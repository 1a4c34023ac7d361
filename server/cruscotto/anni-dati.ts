import type { Database } from '../db';
import * as fatti from '../fatti/leggi';
import { datiEconomici, DatiEconomici, leggiCodici } from './economici';
import { raccogli } from './misure';
import type { DatiSociali } from './sociali';
import { datiSportello, DatiSportello } from './sportello';
import { sql } from './sql';

/**
 * The raw figures of several years at once, for «Anni a confronto» (docs/cruscotto.md): the
 * years among the precomputed facts are read from them (one query per table for all those
 * years), the others from the data in one query grouped by year, never one query per year. Each
 * year's figures are the rows its own page reads (tested in test/cruscotto/anni.test.ts), so the
 * documents built from them are the year pages' documents.
 */
export interface DatiAnni {
  sportello: Map<number, DatiSportello>;
  sociali: Map<number, DatiSociali>;
  economici: Map<number, DatiEconomici>;
}

type Pagina = keyof DatiAnni;

/** The years not among the facts, as one range [primo, ultimo] (null: every year is there). */
function daCalcolare(anni: number[], coperto: (a: number) => boolean): { primo: number; ultimo: number; anni: number[] } | null {
  const fuori = anni.filter((a) => !coperto(a));
  return fuori.length ? { primo: Math.min(...fuori), ultimo: Math.max(...fuori), anni: fuori } : null;
}

const perAnno = <T extends { anno: number | string }>(rows: T[]): Map<number, T[]> => {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const a = Number(r.anno);
    (out.get(a) ?? out.set(a, []).get(a)!).push(r);
  }
  return out;
};

/** The day `aperte` refers to in a year's page: today in the current year, else 31 December. */
export const giornoDi = (anno: number, oggi: string) => (anno === Number(oggi.slice(0, 4)) ? oggi : `${anno}-12-31`);

/**
 * Whether a year of a page is among the current facts (else leggiAnni reads it from the data):
 * sociali's `aperte` also needs the facts' day of that year to be the page's day.
 */
function copertoDa(stato: fatti.StatoFatti | null, pagina: Pagina, oggi: string): (anno: number) => boolean {
  const nei = stato?.chiavi.anni ?? [];
  const giorni = stato?.chiavi.giorni ?? {};
  return pagina === 'sociali' ? (a) => nei.includes(a) && giorni[String(a)] === giornoDi(a, oggi) : (a) => nei.includes(a);
}

/**
 * The years of `anni` that are not among the current facts: read from the data, all in one
 * grouped query (server/cruscotto/anni-pagine.ts keeps them together); the others are read one
 * year at a time from the facts. leggiAnni decides again for itself, so a year that left the
 * facts since is still read right (from the data).
 */
export async function anniFuoriDaiFatti(db: Database, pagina: Pagina, anni: number[], oggi: string): Promise<number[]> {
  const coperto = copertoDa(await fatti.fattiCorrenti(db), pagina, oggi);
  return anni.filter((a) => !coperto(a));
}

type RA = { anno: number; codice_istat: string; area: string; accessi: number; nuovi: number };
type RC = { anno: number; lista: string; codice_istat: string; area: string; categoria: string; n: number };
type RS = { anno: number; misura: string; codice_istat: string; area: string; n: number };
type RE = Parameters<typeof datiEconomici>[0][number] & { anno: number };
type Codice = { codice_prestazione: string; descrizione: string | null };

/**
 * The rows of one year of a page, as read (from the facts or the data), before they become its
 * figures (costruisci): what the store of the years keeps, compact (server/cruscotto/anni-pagine.ts).
 */
export interface RigheAnno {
  sportello: { aree: RA[]; categorie: RC[]; avviso: string | null };
  sociali: { righe: RS[]; giorno: string; avviso: string | null };
  economici: { righe: RE[]; codici: Codice[]; avviso: string | null };
}

/** The raw figures of several years, from the facts or the data (see RigheAnno, costruisci). */
export async function leggiAnni<P extends Pagina>(db: Database, pagina: P, anni: number[], oggi: string): Promise<DatiAnni[P]> {
  const righe = await leggiRighe(db, pagina, anni, oggi);
  return new Map([...righe].map(([a, r]) => [a, costruisci(pagina, r)])) as DatiAnni[P];
}

/** A year's figures from its rows: the same functions as the year's own page. */
export function costruisci<P extends Pagina>(pagina: P, r: RigheAnno[P]): DatiAnni[P] extends Map<number, infer D> ? D : never {
  type D = DatiAnni[P] extends Map<number, infer X> ? X : never;
  if (pagina === 'sportello') {
    const x = r as RigheAnno['sportello'];
    // The rows without a comune are a warning of the year's page, not a figure: not read here.
    return datiSportello(x.aree, x.categorie.filter((c) => c.lista === 'motivi'), x.categorie.filter((c) => c.lista === 'problemi'), 0, x.avviso) as D;
  }
  if (pagina === 'sociali') {
    const x = r as RigheAnno['sociali'];
    return { misure: raccogli(fatti.ordinate(x.righe.map((r) => ({ ...r, n: Number(r.n) })), 'misura', 'codice_istat', 'area')), giorno: x.giorno, avviso: x.avviso } as D;
  }
  const x = r as RigheAnno['economici'];
  return datiEconomici(x.righe, x.codici, x.avviso) as D;
}

/**
 * The rows of several years, per year: those among the facts from them (one query per table
 * for all those years), the others from the data in one query grouped by year.
 */
export async function leggiRighe<P extends Pagina>(db: Database, pagina: P, anni: number[], oggi: string): Promise<Map<number, RigheAnno[P]>> {
  const stato = await fatti.fattiCorrenti(db);
  const avviso = fatti.avvisoProvvisori(stato);
  const nei = stato?.chiavi.anni ?? [];
  const out = new Map<number, RigheAnno[P]>();
  if (pagina === 'sportello') {
    const fuori = daCalcolare(anni, (a) => nei.includes(a));
    const coperti = anni.filter((a) => nei.includes(a));
    const p = fuori && { inizio: `${fuori.primo}-01-01`, fine: `${fuori.ultimo}-12-31` };
    const aree = perAnno<RA>([...(coperti.length ? await fatti.righeAnni<RA>(db, 'fatti_sportello', coperti, ['codice_istat', 'area', 'accessi', 'nuovi']) : []), ...(p ? ((await db.knex.raw(sql('sportello_righe') + sql('anni_sportello'), p)).rows as RA[]).filter((r) => !nei.includes(Number(r.anno))) : [])]);
    const cat = perAnno<RC>([...(coperti.length ? await fatti.righeAnni<RC>(db, 'fatti_sportello_categorie', coperti, ['lista', 'codice_istat', 'area', 'categoria', 'n']) : []), ...(p ? ((await db.knex.raw(sql('anni_categorie'), p)).rows as RC[]).filter((r) => !nei.includes(Number(r.anno))) : [])]);
    for (const a of anni) out.set(a, { aree: aree.get(a) ?? [], categorie: cat.get(a) ?? [], avviso: nei.includes(a) ? avviso : null } as RigheAnno[P]);
    return out;
  }
  if (pagina === 'sociali') {
    const coperto = copertoDa(stato, 'sociali', oggi);
    const fuori = daCalcolare(anni, coperto);
    const coperti = anni.filter(coperto);
    const righe = perAnno<RS>([
      ...(coperti.length ? await fatti.righeAnni<RS>(db, 'fatti_sociali', coperti, ['misura', 'codice_istat', 'area', 'n']) : []),
      ...(fuori ? ((await db.knex.raw(sql('anni_sociali'), { primo: fuori.primo, ultimo: fuori.ultimo, giorno_oggi: oggi })).rows as RS[]).filter((r) => !coperto(Number(r.anno))) : []),
    ]);
    for (const a of anni) out.set(a, { righe: righe.get(a) ?? [], giorno: giornoDi(a, oggi), avviso: coperto(a) ? avviso : null } as RigheAnno[P]);
    return out;
  }
  const fuori = daCalcolare(anni, (a) => nei.includes(a));
  const coperti = anni.filter((a) => nei.includes(a));
  const colonne = ['codice_istat', 'codice_prestazione', 'area', 'n', 'costo', 'quota_comune', 'recupero_assistito', 'recupero_famiglia', 'recupero_altri_enti', 'recupero_altri'];
  const righe = perAnno<RE>([
    ...(coperti.length ? await fatti.righeAnni<RE>(db, 'fatti_economici', coperti, colonne) : []),
    ...(fuori ? ((await db.knex.raw(sql('anni_economici'), { inizio: `${fuori.primo}-01-01`, fine: `${fuori.ultimo}-12-31` })).rows as RE[]).filter((r) => !nei.includes(Number(r.anno))) : []),
  ]);
  const codici = await leggiCodici(db, stato);
  for (const a of anni) out.set(a, { righe: righe.get(a) ?? [], codici, avviso: nei.includes(a) ? avviso : null } as RigheAnno[P]);
  return out;
}
