import type { AppContext } from '../server/context';
import type { Catena } from './tipi';

/**
 * The nightly chain as data: after an import of one of the kinds in `dopo`, the job runs. The
 * order of the list is the order of the runs: the quality checks come after the reconciliation
 * because `sopra_dichiarato` reads its latest run.
 *
 * Every way in (`cruscotto import`, the inbox job, an upload from the browser, the demo) runs
 * the union of what is due ONCE, after all the imports of that run: a night that imports SIZ,
 * the census and the registry reconciles once and checks once.
 */
export const CATENA: readonly { job: string; dopo: readonly string[]; seFallisce: string }[] = [
  { job: 'riconciliazione', dopo: ['siz', 'censimento', 'comuni', 'scadenze'], seFallisce: 'Riconciliazione non eseguita' },
  { job: 'qualita', dopo: ['siz', 'anagrafe', 'censimento'], seFallisce: 'Controlli di qualità non eseguiti' },
  { job: 'variazioni', dopo: ['anagrafe'], seFallisce: 'Variazioni anagrafiche non calcolate' },
  // Last: the pages' precomputed figures (server/fatti) after the imports they come from (SIZ,
  // the comuni), so they are current again as soon as the chain ends; until then the pages
  // compute from the data themselves. The census and the deadlines are read by the overview
  // from the reconciliation's own per-comune rows, already computed by then. The registry
  // gives the breakdowns (/analisi/ripartizioni) a person's sesso.
  { job: 'fatti', dopo: ['siz', 'comuni', 'nomenclatore', 'anagrafe'], seFallisce: 'Cifre del cruscotto non precalcolate' },
];

/** The jobs due after imports of these kinds, in chain order, each once. */
export function jobDovuti(tipi: Iterable<string>): string[] {
  const importati = new Set(tipi);
  return CATENA.filter((c) => c.dopo.some((t) => importati.has(t))).map((c) => c.job);
}

const seFallisce = (job: string) => CATENA.find((c) => c.job === job)?.seFallisce ?? `${job} non eseguito`;

export interface EsitoCatena {
  /** One line per job for people: its own summary, or why it failed. */
  righe: string[];
  eseguiti: number;
  falliti: string[];
}

/**
 * Runs what is due after imports of `tipi`, through `catena` (runJob's own path: lock and run
 * log). Jobs that this installation does not register are left out. A failure does not stop the
 * next job, nor undo the imports: it is on its line and in `falliti`.
 */
export async function eseguiCatena(ctx: AppContext, tipi: Iterable<string>, catena: Catena, o: { oggi?: string; origine: string }): Promise<EsitoCatena> {
  const out: EsitoCatena = { righe: [], eseguiti: 0, falliti: [] };
  for (const job of jobDovuti(tipi)) {
    if (!catena.esiste(job)) continue;
    try {
      out.righe.push((await catena.esegui(job, o)).messaggio);
      out.eseguiti++;
    } catch (e) {
      ctx.log.error({ err: e, job }, `${job} dopo le importazioni non riuscito`);
      out.falliti.push(job);
      out.righe.push(`${seFallisce(job)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return out;
}
