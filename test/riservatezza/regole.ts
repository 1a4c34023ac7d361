import type { Regole } from './dichiarazioni';

/**
 * The rules the pages follow, as docs/riservatezza.md documents them: the audit reads the pages
 * knowing them, as any reader may. Today: rows sorted by their true value (ties by name); the
 * rank among the comuni whose digitalization the account sees.
 */
export const REGOLE: Regole = { ordine: 'valore', posizioneSuTutti: false, motivoSoloProprio: false };
