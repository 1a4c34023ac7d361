/**
 * Reconciliation of SIZ against the census (docs/metriche.md): the use cases called by the job, the
 * CLI and the web pages. Figures are computed in SQL (sql/queries/riconciliazione/), set-based
 * over the whole ambito, and every run is stored in riconciliazioni / riconciliazione_comuni.
 */
export { runRiconciliazione } from './esecuzione';
export type { RunOptions, RunResult } from './esecuzione';
export { latestReport, latestRun, ultimaEsecuzione, reportOfRun, history, ComuneNonTrovato } from './report';
export type { ReportDigitalizzazione, ComuneReport, ValoreMetrica, PuntoStorico } from './report';
export { explain } from './explain';
export type { Spiegazione } from './explain';
export { exportCensimento } from './foglio';
export type { ExportOptions, ExportResult } from './foglio';
export { METRICHE, STATI, ETICHETTE, isMetrica } from './metriche';
export type { Metrica, Stato } from './metriche';
