import type { Database } from '../db';
import type { Grafico } from '../cruscotto/documento';
import { listaCategorie } from '../cruscotto/strutture';
import { ordinaPerMostrato } from '../cruscotto/tabella';
import { Esito, Riservatezza, Valore } from '../web/suppression';
import { bloccata, etichetta, FASCE, graficoDi } from './ripartizioni';
import type { ParametriRipartizioni } from './ripartizioni-parametri';
import { sqlSolo } from './sql';
import type { TabellaAnalisi } from './tabella';

/**
 * The Sociali side of the breakdowns (docs/analisi.md, "Persone prese in carico"): the people
 * the Sociali page counts as prese in carico at the end of the period, by sesso, age band at that
 * date and country of birth. Figures from sql/queries/analisi/ripartizioni_sociali.sql, per
 * comune: a selection is the sum of its comuni, as on the Sociali page.
 */
export type DimSociale = 'sesso' | 'fascia' | 'nascita';
export const DIM_SOCIALI: readonly DimSociale[] = ['sesso', 'fascia', 'nascita'];

/** dim -> category code ('' = not known) -> people. */
export type DatiSociali = Map<DimSociale, Map<string, number>>;

const vuoti = (): DatiSociali => new Map(DIM_SOCIALI.map((d) => [d, new Map()]));

/** Per comune: its people by each dimension. */
export async function leggiPreseInCarico(db: Database, fine: string, comuni: string[]): Promise<Map<string, DatiSociali>> {
  const rows: { codice_istat: string; dim: DimSociale; cat: string; persone: number }[] = (await db.knex.raw(sqlSolo('ripartizioni_sociali'), { fine, comuni: comuni.join(',') })).rows;
  const out = new Map<string, DatiSociali>();
  for (const r of rows) {
    const d = out.get(r.codice_istat) ?? out.set(r.codice_istat, vuoti()).get(r.codice_istat)!;
    d.get(r.dim)!.set(r.cat, Number(r.persone));
  }
  return out;
}

/** The sum over some comuni (a comune without people adds nothing). */
export function sommaComuni(per: Map<string, DatiSociali>, comuni: string[]): DatiSociali {
  const out = vuoti();
  for (const c of comuni) {
    for (const [dim, m] of per.get(c) ?? []) {
      const o = out.get(dim)!;
      for (const [cat, n] of m) o.set(cat, (o.get(cat) ?? 0) + n);
    }
  }
  return out;
}

export const totaleSociali = (d: DatiSociali): number => [...d.get('sesso')!.values()].reduce((a, n) => a + n, 0);

const TITOLI: Record<DimSociale, [string, string, string]> = {
  sesso: ['prese_sesso', 'per sesso', 'Sesso'],
  fascia: ['prese_eta', "per fascia d'età alla fine del periodo", "Fascia d'età"],
  nascita: ['prese_nascita', 'per paese di nascita', 'Paese di nascita'],
};
export const TABELLE_SOCIALI = DIM_SOCIALI.map((d) => TITOLI[d][0]);

function categorie(dim: DimSociale, m: Map<string, number>): string[] {
  const fisse = dim === 'sesso' ? ['F', 'M', ''] : dim === 'fascia' ? [...FASCE, ''] : [];
  return [...fisse, ...[...m.keys()].filter((c) => !fisse.includes(c) && (m.get(c) ?? 0) > 0).sort()];
}

/**
 * The tables of the people taken in charge, for the account. `proprio`: the own comune's figures
 * when the account reads the ambito (it knows them in full); `totalePagina`: how the Sociali page
 * shows the same figure (the selection's prese in carico) to this account, so it has one fate
 * everywhere: hidden there, these breakdowns are not published.
 */
export function tabelleSociali(p: ParametriRipartizioni, d: DatiSociali, opts: { proprio: DatiSociali | null; totalePagina: Valore | undefined }): { totale: Valore; tabelle: TabellaAnalisi[]; grafici: Grafico[]; avvisi: string[] } {
  const R = new Riservatezza(!p.pieno);
  const nascosto = !p.pieno && typeof opts.totalePagina !== 'number';
  R.cella('pre|T', totaleSociali(d), { pieno: p.pieno || typeof opts.totalePagina === 'number', proprio: opts.proprio ? totaleSociali(opts.proprio) : undefined, peso: 100 });
  const chiavi = new Map<DimSociale, (c: string) => string>();
  for (const dim of DIM_SOCIALI) {
    const m = d.get(dim)!;
    const cats = categorie(dim, m);
    const proprio = opts.proprio ? new Map(cats.map((c) => [c, opts.proprio!.get(dim)!.get(c) ?? 0])) : undefined;
    chiavi.set(dim, listaCategorie(R, `pre_${dim}`, new Map(cats.map((c) => [c, m.get(c) ?? 0])), { pieno: p.pieno, proprio, totale: 'pre|T' }).chiave);
  }
  const es: Esito = R.risolvi();
  const val = (k: string): Valore => (nascosto ? 'riservato' : es.valore(k));
  const avvisi: string[] = [];
  if (nascosto) avvisi.push(`Le persone prese in carico di ${p.etichetta} sono riservate anche nella pagina Dati sociali: le loro ripartizioni non sono mostrate.`);
  const tabelle: TabellaAnalisi[] = [];
  const grafici: Grafico[] = [];
  for (const dim of DIM_SOCIALI) {
    const [id, titolo, colonna] = TITOLI[dim];
    const cats = categorie(dim, d.get(dim)!);
    // As for the accessi (ripartizioni.ts): hidden cells pinned by the shown total alone.
    const ritirata = !nascosto && !p.pieno && bloccata(es, cats.map(chiavi.get(dim)!), 'pre|T');
    if (ritirata) avvisi.push(`La ripartizione delle persone prese in carico ${titolo} non è mostrata: con numeri così piccoli le cifre nascoste si ricaverebbero dal totale.`);
    let righe = cats.map((c) => ({ codice: c, categoria: etichetta(dim, c), persone: val(chiavi.get(dim)!(c)) }));
    // A list without a natural order: by the figure shown, hidden rows last by name (docs/riservatezza.md).
    if (dim === 'nascita') righe = ordinaPerMostrato(righe, (r) => r.persone, (r) => r.categoria);
    const tabella: TabellaAnalisi = {
      id,
      titolo: `Persone prese in carico ${titolo} · ${p.etichetta}`,
      colonne: [
        { chiave: 'categoria', etichetta: colonna },
        { chiave: 'persone', etichetta: 'Persone prese in carico', numero: true },
      ],
      righe: nascosto || ritirata ? [] : righe,
      totale: { categoria: 'Totale', persone: val('pre|T') },
    };
    tabelle.push(tabella);
    grafici.push(graficoDi(tabella, [['Persone prese in carico', 'persone']]));
  }
  return { totale: val('pre|T'), tabelle, grafici, avvisi };
}
