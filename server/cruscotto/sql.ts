import { sqlText } from '../shared/sql';

/** The text of sql/queries/cruscotto/NAME.sql, read once, comments removed. */
export const sql = (name: string): string => sqlText('cruscotto', name);
