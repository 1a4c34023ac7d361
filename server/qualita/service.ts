/**
 * Data-quality checks: the use cases called by the CLI, the job, the after-import hook, the web
 * page and the digest feature (docs/qualita.md).
 */
export { runQualita } from './esecuzione';
export type { EsitoQualita } from './esecuzione';
export { latestSummary, findings, history, latestRun, storiaComune } from './letture';
export type { Riepilogo, RiepilogoComune, Risultato, Esecuzione, ComuneSel, PuntoStorico } from './letture';
export { verdettoCorrente } from './verdetto';
export type { VerdettoSiz, Verdetto } from './verdetto';
export { findingsCsv } from './csv';
export { reportJson } from './report';
export type { ReportQualita, ReportComune } from './report';
export { CONTROLLI, SOGLIE } from './controlli';
export type { Controllo, Gravita } from './controlli';
