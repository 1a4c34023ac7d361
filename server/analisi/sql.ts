import { sqlText } from '../shared/sql';

/**
 * The text of an analysis query: the shared head sql/queries/analisi/cartelle.sql (the cartelle
 * counted, with the exclusion and the incoherent dates decided once) followed by NAME.sql.
 */
export const sqlAnalisi = (name: string): string => `${sqlText('analisi', 'cartelle')}\n${sqlText('analisi', name)}`;

export const sqlSolo = (name: string): string => sqlText('analisi', name);
