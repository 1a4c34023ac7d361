import { sqlText } from '../shared/sql';

/** The text of sql/queries/<folder>/<name>.sql (folders `scadenze` and `promemoria`). */
export const query = (folder: 'scadenze' | 'promemoria', name: string): string => sqlText(folder, name);
