import type { AppContext } from '../context';
import { HttpError } from '../web/errori';
import type { Contesto } from './contesto';
import { Documento, unaSorte } from './documento';
import { Filtri, periodoDi } from './filtri';
import type { Visibilita } from './nodi';
import { confrontoAnni, FIGURE_ANNI } from './anni';
import { documentiAnni, filtriAnno } from './anni-pagine';
import { paroleDelPeriodo, soloProprio } from './periodo';
import { documentoSportello, leggiSportello } from './sportello';
import { documentoSociali, leggiSociali } from './sociali';
import { documentoEconomici, leggiEconomici } from './economici';
import { documentoMese, leggiMese } from './mese';
import { avvisoNonAttribuiti, riferimentiDigitalizzazione } from './riferimenti';
import { censimentoVisibile } from './digitalizzazione';
import { latestReport } from '../riconciliazione/service';

/** What a page is computed for: the ambito, the account's visibility, the data version. */
export interface Base {
  versione: string;
  contesto: Contesto;
  v: Visibilita;
}

/** get-or-compute per key (the pages' Memo, server/cruscotto/cache.ts). */
export type Cache = <T>(key: string, fn: () => Promise<T>) => Promise<T>;

export type PaginaFamiglia = 'sportello' | 'sociali' | 'economici' | 'mese';

/**
 * The family pages' documents (sportello, sociali, economici, mese), shared by their routes and
 * the scorecard (server/cruscotto/scheda-anno.ts): the data of a year, or of a range of days, is
 * read once per data version, whoever looks; the document is built for the account.
 */
export function famiglie(ctx: AppContext, cached: Cache) {
  // The area and motivo filters narrow the office's view and a comune's own figures only
  // (docs/riservatezza.md, «Meno uscite, fisse»): applied to the ambito's breakdowns they would
  // add one more split of the same small counts for every area and motivo.
  // Figures from facts computed before the imports running now say so (server/fatti/leggi.ts).
  const provvisorio = (doc: Documento, avviso: string | null): Documento => (avviso ? { ...doc, avvisi: [avviso, ...doc.avvisi] } : doc);
  const dettaglioFiltrabile = (b: Base, f: Filtri) => b.v.udp || (b.v.proprio !== null && f.comune === b.v.proprio);
  const filtrati = (calcola: (b: Base, f: Filtri) => Promise<Documento>) => async (b: Base, f0: Filtri) => {
    if (dettaglioFiltrabile(b, f0) || (!f0.area && !f0.motivo)) return calcola(b, f0);
    const doc = await calcola(b, { ...f0, area: null, motivo: null });
    const quali = [f0.area ? `area «${f0.area.replace('_', ' ')}»` : null, f0.motivo ? `motivo «${f0.motivo}»` : null].filter(Boolean).join(' e ');
    return { ...doc, avvisi: [...doc.avvisi, `Il filtro per ${quali} si applica solo alle cifre del proprio comune; per l'ambito e gli altri comuni le cifre comprendono tutte le aree e tutti i motivi (riservatezza).`] };
  };
  // A range of days (dal/al) is read from the data itself; a year from the facts (docs/fatti.md).
  const periodo = (f: Filtri) => (f.dal ? periodoDi(f) : undefined);
  const chiaveAnno = (f: Filtri) => (f.dal ? `${f.dal}|${f.al}` : String(f.anno));
  // Every page of the same data gives a figure one fate (unaSorte, docs/riservatezza.md).
  const sportello = filtrati((b, f) => cached(`dati|sportello|${b.versione}|${chiaveAnno(f)}|${f.motivo}`, () => leggiSportello(ctx.db, f.anno, f.motivo, periodo(f))).then((d) => provvisorio(unaSorte(b.contesto, f, b.v, (g, o) => documentoSportello(b.contesto, g, b.v, d, o)), d.avviso)));
  const sociali = filtrati((b, f) => cached(`dati|sociali|${b.versione}|${chiaveAnno(f)}|${b.contesto.oggi}`, () => leggiSociali(ctx.db, f.anno, b.contesto.oggi, periodo(f))).then((d) => provvisorio(unaSorte(b.contesto, f, b.v, (g, o) => documentoSociali(b.contesto, g, b.v, d, o)), d.avviso)));
  const economici = filtrati((b, f) => cached(`dati|economici|${b.versione}|${chiaveAnno(f)}`, () => leggiEconomici(ctx.db, f.anno, periodo(f))).then((d) => provvisorio(unaSorte(b.contesto, f, b.v, (g, o) => documentoEconomici(b.contesto, g, b.v, d, o)), d.avviso)));
  const mese = filtrati(async (b, f) => {
    // Outside the office a month is shown for the ambito and the own comune only.
    if (!b.v.udp && (f.cluster != null || f.distretto != null || (f.comune !== null && f.comune !== b.v.proprio))) {
      throw new HttpError(403, "Il mese per gruppi e per singoli comuni è visibile solo all'Ufficio di Piano: scegli l'ambito o il tuo comune.");
    }
    return cached(`dati|mese|${b.versione}|${f.mese}`, () => leggiMese(ctx.db, f.mese)).then((d) => provvisorio(unaSorte(b.contesto, f, b.v, (g, o) => documentoMese(b.contesto, g, b.v, d, o)), d.avviso));
  });
  const documenti: Record<PaginaFamiglia, (b: Base, f: Filtri) => Promise<Documento>> = { sportello, sociali, economici, mese };

  /**
   * The whole family page: its figures, the digitalization reference boxes of the selection,
   * the rows without a comune (office), the years side by side, the words of a range of days.
   */
  async function pagina(p: PaginaFamiglia, b: Base, f: Filtri): Promise<Documento> {
    let doc = await documenti[p](b, f);
    const report = await cached(`report|${b.versione}`, () => latestReport(ctx.db));
    // Rows without a comune, for the office: Sportello says it itself, Sociali and Economici here.
    const na = b.v.udp && (p === 'sociali' || p === 'economici') ? await cached(`na|${p}|${b.versione}|${chiaveAnno(f)}`, () => avvisoNonAttribuiti(ctx.db, p, f.anno, periodo(f))) : null;
    doc = { ...doc, avvisi: na ? [...doc.avvisi, na] : doc.avvisi, riferimenti: riferimentiDigitalizzazione(report, b.contesto, f, censimentoVisibile(b.contesto, b.v, report)) };
    if (p !== 'mese' && !f.dal) {
      // Years side by side: each year's own page, read through the same functions.
      const anni = await documentiAnni(ctx.db, cached, b, f.anno, [p], (_p, a) => filtriAnno(f, a, dettaglioFiltrabile(b, f)));
      const { tabella, grafico } = confrontoAnni(FIGURE_ANNI[p], anni, `Anni a confronto · ${doc.selezione?.etichetta ?? ''}`);
      doc = { ...doc, tabelle: [...doc.tabelle, tabella], grafici: [...doc.grafici, grafico] };
    }
    // A range of days: its own words; outside the office, the own comune's figures only.
    if (f.dal) doc = paroleDelPeriodo(doc, f);
    if (f.dal && !b.v.udp) doc = soloProprio(doc, f);
    return doc;
  }

  return { ...documenti, pagina, dettaglioFiltrabile, cached };
}

export type Famiglie = ReturnType<typeof famiglie>;
