import type { Database } from '../db';
import * as fatti from '../fatti/leggi';
import type { Grafico } from '../cruscotto/documento';
import { listaCategorie } from '../cruscotto/strutture';
import { ordinaPerMostrato } from '../cruscotto/tabella';
import { Esito, punto, Riservatezza, Valore } from '../web/suppression';
import type { ParametriRipartizioni } from './ripartizioni-parametri';
import { sqlSolo } from './sql';
import { nomeStatoEstero } from './stati-esteri';
import type { TabellaAnalisi } from './tabella';

/**
 * Breakdowns of the sportello's accessi and people (docs/analisi.md, "Ripartizioni"; issue 20,
 * item 4): by punto di accesso, sesso, age band and country of birth, each with accessi and
 * distinct people. Figures from sql/queries/analisi/ripartizioni.sql, or for a whole year of the
 * ambito or of one comune from the precomputed facts (server/fatti).
 */
export type Dimensione = 'punto' | 'sesso' | 'fascia' | 'nascita';
export const DIMENSIONI: readonly Dimensione[] = ['punto', 'sesso', 'fascia', 'nascita'];
export const FASCE = ['0-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65-74', '75-84', '85+'] as const;

/** dim -> category code ('' = not known) -> figures (persone null where not computed). */
export type DatiRipartizioni = Map<Dimensione, Map<string, { accessi: number; persone: number }>>;

/**
 * The figures of any period and selection, computed from the accessi (the head
 * ripartizioni_righe.sql, then ripartizioni.sql).
 */
export async function leggiRipartizioni(db: Database, dal: string, al: string, comuni: string[]): Promise<DatiRipartizioni> {
  const rows: Riga[] = (await db.knex.raw(sqlSolo('ripartizioni_righe') + sqlSolo('ripartizioni'), { dal, al, comuni: comuni.join(',') })).rows;
  return raccogli(rows);
}

/**
 * A whole year of the ambito (`comune` null: `comuni` are all its active comuni) or of one
 * comune: the precomputed facts when current (server/fatti), the same rows per comune and per
 * ambito; else, or for a year older than the facts, from the accessi as any other selection.
 * `avviso`: the facts are provisional (an import is running).
 */
export async function leggiRipartizioniAnno(db: Database, anno: number, comune: string | null, comuni: string[]): Promise<{ dati: DatiRipartizioni; avviso: string | null }> {
  const stato = await fatti.fattiCorrenti(db);
  const righe = await fatti.ripartizioni(db, stato, anno, comune);
  if (righe) return { dati: raccogli(righe as Riga[]), avviso: fatti.avvisoProvvisori(stato) };
  return { dati: await leggiRipartizioni(db, `${anno}-01-01`, `${anno}-12-31`, comune === null ? comuni : [comune]), avviso: null };
}

type Riga = { dim: Dimensione; cat: string; accessi: number | null; persone: number | null };

/** Rows in any order (a table lists its categories in its own order: `categorie`). */
function raccogli(rows: Riga[]): DatiRipartizioni {
  const out: DatiRipartizioni = new Map(DIMENSIONI.map((d) => [d, new Map()]));
  for (const r of rows) {
    const m = out.get(r.dim)!;
    const x = m.get(r.cat) ?? { accessi: 0, persone: 0 };
    if (r.accessi !== null) x.accessi += Number(r.accessi);
    if (r.persone !== null) x.persone += Number(r.persone);
    m.set(r.cat, x);
  }
  return out;
}

/** The totals: every accesso is in one category of each dimension; a person in one of sesso. */
export function totali(d: DatiRipartizioni): { accessi: number; persone: number } {
  let accessi = 0;
  let persone = 0;
  for (const x of d.get('sesso')!.values()) {
    accessi += x.accessi;
    persone += x.persone;
  }
  return { accessi, persone };
}

const NOMI_SESSO: Record<string, string> = { F: 'Femmine', M: 'Maschi', '': 'Non indicato' };

export function etichetta(dim: Dimensione, cat: string): string {
  if (dim === 'sesso') return NOMI_SESSO[cat] ?? cat;
  if (dim === 'fascia') return cat === '' ? 'Età non nota' : cat === '85+' ? '85 anni e più' : `${cat} anni`;
  if (dim === 'nascita') return cat === 'IT' ? 'Italia' : cat === '' ? 'Non ricavabile (codice fiscale assente o non valido)' : nomeStatoEstero(cat);
  return cat === '' ? 'Punto non indicato' : cat;
}

/** The categories a table lists: the fixed ones (zeros shown) and any other with an accesso. */
function categorie(dim: Dimensione, m: Map<string, unknown>): string[] {
  const fisse = dim === 'sesso' ? ['F', 'M', ''] : dim === 'fascia' ? [...FASCE, ''] : [];
  return [...fisse, ...[...m.keys()].filter((c) => !fisse.includes(c)).sort()];
}

const TITOLI: Record<Dimensione, [string, string]> = {
  punto: ['punti', 'per punto di accesso'],
  sesso: ['sesso', 'per sesso'],
  fascia: ['eta', "per fascia d'età alla data dell'accesso"],
  nascita: ['nascita', 'per paese di nascita'],
};
export const TABELLE = DIMENSIONI.map((d) => TITOLI[d][0]);

export interface DocumentoRipartizioni {
  pagina: 'ripartizioni';
  dal: string;
  al: string;
  anno: number | null;
  selezione: string;
  totale: { accessi: Valore; persone: Valore };
  avvisi: string[];
  tabelle: TabellaAnalisi[];
  grafici: Grafico[];
}

/**
 * The document for the account. `proprio`: the account's own comune's figures when it reads
 * the ambito (it knows them in full: suppression.ts `proprio`); `totaleSportello`: how /sportello
 * shows the same year's ambito accessi to this account, so the figure has one fate everywhere.
 */
export function documentoRipartizioni(p: ParametriRipartizioni, d: DatiRipartizioni, opts: { proprio: DatiRipartizioni | null; totaleSportello: Valore | undefined }): DocumentoRipartizioni {
  const avvisi: string[] = [];
  const tot = totali(d);
  const totP = opts.proprio ? totali(opts.proprio) : null;
  const R = new Riservatezza(!p.pieno);
  const nascosto = !p.pieno && typeof opts.totaleSportello !== 'number';
  // The ambito's accessi of the year are on /sportello: shown there, known here; hidden there,
  // the breakdowns are not published (a breakdown of a hidden total would tell it).
  R.cella('acc|T', tot.accessi, { pieno: p.pieno || typeof opts.totaleSportello === 'number', proprio: totP?.accessi, peso: 100 });
  R.cella('per|T', tot.persone, { pieno: p.pieno, proprio: totP?.persone, peso: 100 });
  const chiavi = new Map<string, (c: string) => string>();
  for (const dim of DIMENSIONI) {
    const m = d.get(dim)!;
    const cats = categorie(dim, m);
    const prop = (f: 'accessi' | 'persone') => (opts.proprio ? new Map(cats.map((c) => [c, opts.proprio!.get(dim)!.get(c)?.[f] ?? 0])) : undefined);
    chiavi.set(`acc_${dim}`, listaCategorie(R, `acc_${dim}`, new Map(cats.map((c) => [c, m.get(c)?.accessi ?? 0])), { pieno: p.pieno, proprio: prop('accessi'), totale: 'acc|T' }).chiave);
    // People by punto do not add up (a person may go to two punti): the UdP and a comune on
    // its own comune only, where nothing is suppressed.
    if (dim !== 'punto') chiavi.set(`per_${dim}`, listaCategorie(R, `per_${dim}`, new Map(cats.map((c) => [c, m.get(c)?.persone ?? 0])), { pieno: p.pieno, proprio: prop('persone'), totale: 'per|T' }).chiave);
    else if (p.pieno) for (const c of cats) R.cella(`per_punto|${c}`, m.get(c)?.persone ?? 0, { pieno: true });
  }
  const es: Esito = R.risolvi();
  if (nascosto) avvisi.push(`Il totale degli accessi dell'ambito del ${p.anno} è riservato anche nella pagina Sportello: le ripartizioni non sono mostrate.`);
  const val = (k: string): Valore => (nascosto ? 'riservato' : es.valore(k));

  // Zeros are always shown and a `<3` is at most 2: in a small table the hidden cells can be
  // pinned by the shown total alone (three `<3` under a total of 3 with every other row 0), and no
  // further hidden cell can free them. Such a breakdown is not published outside the UdP.
  const fissata = (lista: string, cats: string[], totale: string) => !p.pieno && bloccata(es, cats.map(chiavi.get(lista)!), totale);
  const tabelle: TabellaAnalisi[] = [];
  const grafici: Grafico[] = [];
  for (const dim of DIMENSIONI) {
    const [id, titolo] = TITOLI[dim];
    const m = d.get(dim)!;
    const conPersone = dim !== 'punto' || p.pieno;
    const cats = categorie(dim, m).filter((c) => dim === 'sesso' || dim === 'fascia' || (m.get(c)?.accessi ?? 0) > 0);
    const ritirata = !nascosto && (fissata(`acc_${dim}`, cats, 'acc|T') || (dim !== 'punto' && fissata(`per_${dim}`, cats, 'per|T')));
    if (ritirata) avvisi.push(`La ripartizione ${titolo} non è mostrata: con numeri così piccoli le cifre nascoste si ricaverebbero dal totale.`);
    let righe = categorie(dim, m)
      .filter((c) => dim === 'sesso' || dim === 'fascia' || (m.get(c)?.accessi ?? 0) > 0)
      .map((c) => ({
        codice: c,
        categoria: etichetta(dim, c),
        accessi: val(chiavi.get(`acc_${dim}`)!(c)),
        persone: conPersone ? val(dim === 'punto' ? `per_punto|${c}` : chiavi.get(`per_${dim}`)!(c)) : null,
      }));
    // Lists without a natural order: by the figure shown, hidden rows last by name (docs/riservatezza.md).
    if (dim === 'punto' || dim === 'nascita') righe = ordinaPerMostrato(righe, (r) => r.accessi, (r) => r.categoria);
    const tabella: TabellaAnalisi = {
      id,
      titolo: `Accessi e persone ${titolo} · ${p.etichetta}`,
      colonne: [
        { chiave: 'categoria', etichetta: { punto: 'Punto di accesso', sesso: 'Sesso', fascia: "Fascia d'età", nascita: 'Paese di nascita' }[dim] },
        { chiave: 'accessi', etichetta: 'Accessi', numero: true },
        { chiave: 'persone', etichetta: dim === 'punto' ? 'Persone (chi va in due punti conta in entrambi)' : 'Persone', numero: true },
      ],
      righe: nascosto || ritirata ? [] : righe,
      totale: { categoria: 'Totale', accessi: val('acc|T'), persone: val('per|T') },
    };
    tabelle.push(tabella);
    grafici.push(graficoDi(tabella, [['Accessi', 'accessi'], ...(conPersone ? [['Persone', 'persone'] as [string, string]] : [])]));
  }
  return { pagina: 'ripartizioni', dal: p.dal, al: p.al, anno: p.anno, selezione: p.etichetta, totale: { accessi: val('acc|T'), persone: val('per|T') }, avvisi, tabelle, grafici };
}

/**
 * Bars a chart of a breakdown draws at most: the regional punti di accesso are thousands, and a
 * bar each is neither readable nor cheap to send (docs/bench.md). The table has them all.
 */
export const BARRE_GRAFICO = 20;

/**
 * The bar chart of a breakdown's table: one series per column, its rows as categories; of a
 * longer table the first BARRE_GRAFICO rows in its order (by the figure shown: the largest).
 */
export function graficoDi(tabella: TabellaAnalisi, serie: [nome: string, colonna: string][]): Grafico {
  const righe = tabella.righe.slice(0, BARRE_GRAFICO);
  const parte = righe.length < tabella.righe.length ? ` · i primi ${BARRE_GRAFICO} di ${tabella.righe.length}` : '';
  return {
    id: `grafico_${tabella.id}`,
    titolo: `${tabella.titolo}${parte}`,
    tipo: righe.length > 6 ? 'barre_orizzontali' : 'barre',
    categorie: righe.map((r) => String(r.categoria)),
    serie: serie.map(([nome, c]) => ({ nome, dati: righe.map((r) => punto(r[c] as Valore)) })),
    tabella: tabella.id,
  };
}

/**
 * Whether the reader can pin a hidden cell of a list from its shown total and the shown cells:
 * each hidden cell is at least 1, and at most 2 when `<3`; a cell is pinned when its smallest
 * and largest possible values meet. A hidden total pins nothing.
 */
export function bloccata(es: Esito, celle: string[], totale: string): boolean {
  const tot = es.valore(totale);
  if (typeof tot !== 'number') return false;
  let resto = tot;
  const nascoste: { lo: number; hi: number }[] = [];
  for (const k of celle) {
    const v = es.valore(k);
    if (typeof v === 'number') resto -= v;
    else nascoste.push({ lo: 1, hi: v === '<3' ? 2 : Infinity });
  }
  const lo = nascoste.reduce((a, x) => a + x.lo, 0);
  const hi = nascoste.reduce((a, x) => a + x.hi, 0);
  return nascoste.some((x) => Math.max(x.lo, resto - (hi - x.hi)) >= Math.min(x.hi, resto - (lo - x.lo)));
}
