import type { Database } from '../db';
import type { FiguraAnni } from './anni';
import { leggiAnni } from './anni-dati';
import type { Contesto } from './contesto';
import { Documento, unaSorte } from './documento';
import { documentoEconomici } from './economici';
import type { Filtri } from './filtri';
import type { Visibilita } from './nodi';
import { documentoSociali } from './sociali';
import { documentoSportello } from './sportello';

type Pagina = FiguraAnni['pagina'];

/** The years of «Anni a confronto»: from the first year with data to the chosen one. */
export function anniFino(contesto: Contesto, anno: number): number[] {
  const primo = Math.min(anno, ...contesto.anni);
  const out: number[] = [];
  for (let a = primo; a <= anno; a++) out.push(a);
  return out;
}

/**
 * The headline figures (`sintesi`) of each year's page: its document without tables and charts,
 * built by the same functions with the same filters and the year changed, for the same account,
 * with the same fates (unaSorte). The raw figures of every year are read once per data version
 * (server/cruscotto/anni-dati.ts) and kept in the pages' cache.
 */
export async function documentiAnni(
  db: Database,
  cached: <T>(key: string, fn: () => Promise<T>) => Promise<T>,
  b: { versione: string; contesto: Contesto; v: Visibilita },
  anno: number,
  pagine: Pagina[],
  filtri: (pagina: Pagina, anno: number) => Filtri,
): Promise<{ anno: number; docs: Partial<Record<Pagina, Documento>> }[]> {
  const contesto = b.contesto;
  // Every year up to today in one read (the chosen year's list is a prefix of it).
  const tutti = anniFino(contesto, Math.max(anno, Number(contesto.oggi.slice(0, 4))));
  const anni = tutti.filter((a) => a <= anno);
  const chiave = (p: Pagina) => `anni|${p}|${b.versione}|${contesto.oggi}|${tutti[0]}`;
  const out = anni.map((a) => ({ anno: a, docs: {} as Partial<Record<Pagina, Documento>> }));
  // A year's document depends on the data, the account's class and the year's filters only: the
  // pages of every year and the scorecard of the same selection share it (each page shows up to
  // twelve years, and a comune's own page builds each twice: unaSorte).
  // Only the headline figures are kept (confrontoAnni reads `sintesi`): a whole document of the
  // region is megabytes of tables, and the scorecard of a comune of the region kept three
  // families' documents of every year, 771 MB of heap (bench --scala regione, docs/bench.md).
  const doc = (p: Pagina, a: number, costruisci: (f: Filtri) => Documento) => {
    const f = filtri(p, a);
    return cached(`anni-doc|${p}|${b.versione}|${contesto.oggi}|${b.v.classe}|${a}|${JSON.stringify(f)}`, async (): Promise<Documento> => ({ ...costruisci(f), tabelle: [], grafici: [] }));
  };
  for (const p of pagine) {
    if (p === 'sportello') {
      const d = await cached(chiave(p), () => leggiAnni(db, 'sportello', tutti, contesto.oggi));
      for (const x of out) x.docs.sportello = await doc(p, x.anno, (f) => unaSorte(contesto, f, b.v, (g, o) => documentoSportello(contesto, g, b.v, d.get(x.anno)!, o)));
    } else if (p === 'sociali') {
      const d = await cached(chiave(p), () => leggiAnni(db, 'sociali', tutti, contesto.oggi));
      for (const x of out) x.docs.sociali = await doc(p, x.anno, (f) => unaSorte(contesto, f, b.v, (g, o) => documentoSociali(contesto, g, b.v, d.get(x.anno)!, o)));
    } else {
      const d = await cached(chiave(p), () => leggiAnni(db, 'economici', tutti, contesto.oggi));
      for (const x of out) x.docs.economici = await doc(p, x.anno, (f) => unaSorte(contesto, f, b.v, (g, o) => documentoEconomici(contesto, g, b.v, d.get(x.anno)!, o)));
    }
  }
  return out;
}

/** A year's filters for its page: the page's own, with the year, without a range or a motivo. */
export function filtriAnno(f: Filtri, anno: number, dettaglioFiltrabile: boolean): Filtri {
  // As the page does (routes.ts, `filtrati`): outside the office the area narrows only the
  // reader's own comune. The motivo narrows only the problemi, never a figure of the table.
  return { ...f, anno, dal: null, al: null, motivo: null, area: dettaglioFiltrabile ? f.area : null };
}
