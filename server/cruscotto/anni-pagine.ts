import type { Database } from '../db';
import type { FiguraAnni } from './anni';
import { anniFuoriDaiFatti, costruisci, DatiAnni, leggiAnni, leggiRighe, RigheAnno } from './anni-dati';
import type { Contesto } from './contesto';
import { Documento, unaSorte } from './documento';
import { documentoEconomici } from './economici';
import type { Filtri } from './filtri';
import type { Visibilita } from './nodi';
import { documentoSociali } from './sociali';
import { documentoSportello } from './sportello';
import { Riserva } from './riserva';
import { RigheCompatte } from './righe-compatte';

type Pagina = FiguraAnni['pagina'];

/** The years of «Anni a confronto»: from the first year with data to the chosen one. */
export function anniFino(contesto: Contesto, anno: number): number[] {
  const primo = Math.min(anno, ...contesto.anni);
  const out: number[] = [];
  for (let a = primo; a <= anno; a++) out.push(a);
  return out;
}

/**
 * The rows of a year read from the facts, per database, kept as columns (righe-compatte.ts)
 * while they fit in 32 MB (server/cruscotto/riserva.ts): every year of three families of a
 * region weighs ~30 MB so (~260 MB as objects, docs/bench.md, memory), and the scorecard of the
 * next comune reads nothing from the database; its figures are built again from the rows.
 */
const RISERVA_ANNI_BYTE = 32e6;
const riserve = new WeakMap<Database, Riserva<unknown>>();
export function riservaAnni(db: Database): Riserva<unknown> {
  let r = riserve.get(db);
  if (!r) riserve.set(db, (r = new Riserva(RISERVA_ANNI_BYTE)));
  return r;
}

/** A year's rows as columns (what the store keeps), and back. */
type Compatte = { [P in Pagina]: { [K in keyof RigheAnno[P]]: RigheAnno[P][K] extends (infer R extends object)[] ? RigheCompatte<R> | R[] : RigheAnno[P][K] } };
// Each kept in the order its figures read it (anni-dati.ts costruisci: datiSportello, raccogli, datiEconomici).
function compatta<P extends Pagina>(pagina: P, r: RigheAnno[P]): Compatte[P] {
  if (pagina === 'sportello') {
    const x = r as RigheAnno['sportello'];
    return { aree: RigheCompatte.da(x.aree, ['anno', 'codice_istat', 'area'], ['accessi', 'nuovi'], ['codice_istat', 'area']), categorie: RigheCompatte.da(x.categorie, ['anno', 'lista', 'codice_istat', 'area', 'categoria'], ['n'], ['codice_istat', 'categoria', 'area']), avviso: x.avviso } as Compatte[P];
  }
  if (pagina === 'sociali') {
    const x = r as RigheAnno['sociali'];
    return { righe: RigheCompatte.da(x.righe, ['anno', 'misura', 'codice_istat', 'area'], ['n'], ['misura', 'codice_istat', 'area']), giorno: x.giorno, avviso: x.avviso } as Compatte[P];
  }
  const x = r as RigheAnno['economici'];
  // The codes' descriptions are the same few hundred rows for every year: shared, not copied.
  return { righe: RigheCompatte.da(x.righe, ['anno', 'codice_istat', 'codice_prestazione', 'area'], ['n', 'costo', 'quota_comune', 'recupero_assistito', 'recupero_famiglia', 'recupero_altri_enti', 'recupero_altri'], ['codice_istat', 'codice_prestazione', 'area']), codici: x.codici, avviso: x.avviso } as Compatte[P];
}
function espandi<P extends Pagina>(c: Compatte[P]): RigheAnno[P] {
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v instanceof RigheCompatte ? v.righe() : v])) as RigheAnno[P];
}

/**
 * The headline figures (`sintesi`) of each year's page: its document without tables and charts,
 * built by the same functions with the same filters and the year changed, for the same account,
 * with the same fates (unaSorte), from the raw figures of that year (server/cruscotto/anni-dati.ts).
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
  const oggi = contesto.oggi;
  // Every year up to today (the chosen year's list is a prefix of it).
  const tutti = anniFino(contesto, Math.max(anno, Number(oggi.slice(0, 4))));
  const anni = tutti.filter((a) => a <= anno);
  const out = anni.map((a) => ({ anno: a, docs: {} as Partial<Record<Pagina, Documento>> }));
  // A year's document depends on the data, the account's class and the year's filters only: the
  // pages of every year and the scorecard of the same selection share it (each page shows up to
  // twelve years, and a comune's own page builds each twice: unaSorte).
  // Only the headline figures are kept (confrontoAnni reads `sintesi`): a whole document of the
  // region is megabytes of tables, and the scorecard of a comune of the region kept three
  // families' documents of every year, 771 MB of heap (bench --scala regione, docs/bench.md).
  const doc = (p: Pagina, a: number, costruisci: (f: Filtri) => Promise<Documento>) => {
    const f = filtri(p, a);
    return cached(`anni-doc|${p}|${b.versione}|${oggi}|${b.v.classe}|${a}|${JSON.stringify(f)}`, async (): Promise<Documento> => ({ ...(await costruisci(f)), tabelle: [], grafici: [] }));
  };
  for (const p of pagine) {
    // The raw figures of a year are read when one of its documents is missing, one year at a
    // time from the facts, and kept, as columns, while they fit in the store of riservaAnni: every
    // comune of the region for every year of three families was 260 MB of heap held by the
    // scorecard (docs/bench.md, memory). The years
    // outside the facts (older than the years they keep, sociali's current year when they were
    // computed on another day, every year when they are stale) come from the data in one grouped
    // query for all of them (a query per year would scan the data once per year), kept in the cache.
    let fuori: Promise<number[]> | null = null;
    const dati = async <P extends Pagina>(pp: P, a: number): Promise<DatiAnni[P]> => {
      fuori ??= anniFuoriDaiFatti(db, pp, tutti, oggi);
      const dalDato = await fuori;
      if (dalDato.includes(a)) return cached(`anni|${pp}|${b.versione}|${oggi}|${dalDato.join(',')}`, () => leggiAnni(db, pp, dalDato, oggi));
      const righe = (await riservaAnni(db).get(`${b.versione}|${oggi}`, `${pp}|${a}`, async () => compatta(pp, (await leggiRighe(db, pp, [a], oggi)).get(a)!))) as Compatte[P];
      return new Map([[a, costruisci(pp, espandi<P>(righe))]]) as DatiAnni[P];
    };
    for (const x of out) {
      const a = x.anno;
      if (p === 'sportello') x.docs.sportello = await doc(p, a, async (f) => {
        const d = (await dati('sportello', a)).get(a)!;
        return unaSorte(contesto, f, b.v, (g, o) => documentoSportello(contesto, g, b.v, d, o));
      });
      else if (p === 'sociali') x.docs.sociali = await doc(p, a, async (f) => {
        const d = (await dati('sociali', a)).get(a)!;
        return unaSorte(contesto, f, b.v, (g, o) => documentoSociali(contesto, g, b.v, d, o));
      });
      else x.docs.economici = await doc(p, a, async (f) => {
        const d = (await dati('economici', a)).get(a)!;
        return unaSorte(contesto, f, b.v, (g, o) => documentoEconomici(contesto, g, b.v, d, o));
      });
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
