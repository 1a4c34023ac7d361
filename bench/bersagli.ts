/**
 * The pages the regional benchmark requests (bench/index.ts) and the memory tool measures
 * (bench/memoria.ts): one list, so both measure the same pages.
 */
export const OGGI = '2026-11-22';
/** Five years up to OGGI, for the breakdowns page. */
export const CINQUE_ANNI = 'dal=2021-11-23&al=2026-11-22';

/** [name, path] of each page; `istat` is the largest comune (its scorecard is the heaviest). */
export function bersagli(istat: string): [string, string][] {
  return [
    ['salute (pavimento)', '/salute'],
    ['panoramica', '/'],
    ['scheda del comune', `/comuni/${istat}`],
    ['sportello', '/sportello'],
    // A family page over any range of days (issue 20): five years, read from the data.
    ['sportello 5 anni', `/sportello?${CINQUE_ANNI}`],
    // The breakdowns (docs/analisi.md, "Ripartizioni"): a whole year of the ambito, read from
    // the precomputed facts; five years, the page and each breakdown's CSV (the same
    // document: the first request computes it), the people taken in charge included.
    ['ripartizioni anno', `/analisi/ripartizioni?anno=${OGGI.slice(0, 4)}`],
    ['ripartizioni 5 anni', `/analisi/ripartizioni?${CINQUE_ANNI}`],
    ...(['punti', 'sesso', 'eta', 'nascita', 'prese_sesso', 'prese_eta', 'prese_nascita'] as const).map((t): [string, string] => [`ripartizioni csv ${t}`, `/api/analisi/ripartizioni?${CINQUE_ANNI}&formato=csv&tabella=${t}`]),
  ];
}
