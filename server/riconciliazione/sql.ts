import { sqlText } from '../shared/sql';

/** The text of sql/queries/riconciliazione/NAME.sql, read once, comments removed. */
export const sql = (name: string): string => sqlText('riconciliazione', name);
