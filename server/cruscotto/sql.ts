import fs from 'node:fs';
import path from 'node:path';

const DIR = path.resolve(__dirname, '..', '..', 'sql', 'queries', 'cruscotto');
const cache = new Map<string, string>();

/**
 * The text of sql/queries/cruscotto/NAME.sql, read once. Line comments are removed, so a
 * `:name` or `?` written in a comment is never taken for a binding by knex.
 */
export function sql(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = fs.readFileSync(path.join(DIR, `${name}.sql`), 'utf8').replace(/--[^\n]*/g, '');
    cache.set(name, text);
  }
  return text;
}
