import type { Regole } from './dichiarazioni';

/**
 * The rules the pages follow, as docs/riservatezza.md documents them: the audit reads the pages
 * knowing them, as any reader may. Rows sorted by the shown figure, hidden rows last by name; the
 * rank computed once among every comune with a digitalization; the motivo filter applied
 * outside the UdP to the reader's own comune only.
 */
export const REGOLE: Regole = { ordine: 'mostrato', posizioneSuTutti: true, motivoSoloProprio: true };
