import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', 'sql', 'queries');
const cache = new Map<string, string>();

/**
 * The text of sql/queries/<folder>/<name>.sql (folders `scadenze` and `promemoria`), read once.
 * Line comments are removed, so a `:name` or `?` written in a comment is never a binding.
 */
export function query(folder: 'scadenze' | 'promemoria', name: string): string {
  const key = `${folder}/${name}`;
  let text = cache.get(key);
  if (text === undefined) {
    text = fs.readFileSync(path.join(ROOT, folder, `${name}.sql`), 'utf8').replace(/--[^\n]*/g, '');
    cache.set(key, text);
  }
  return text;
}
