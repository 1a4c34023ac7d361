import fs from 'node:fs';
import path from 'node:path';

const DIR = path.resolve(__dirname, '..', '..', 'sql', 'queries', 'variazioni');
const cache = new Map<string, string[]>();

/**
 * The statements of `sql/queries/variazioni/<name>.sql`, read once. Statements end with `;` at
 * the end of a line; values are named bindings (:ora, :compito), never spliced in.
 */
export function statements(name: string): string[] {
  let s = cache.get(name);
  if (!s) {
    const text = fs.readFileSync(path.join(DIR, `${name}.sql`), 'utf8');
    s = text
      .replace(/^\s*--.*$/gm, '')
      .split(/;[ \t]*$/m)
      .map((x) => x.trim())
      .filter((x) => x.length > 0);
    cache.set(name, s);
  }
  return s;
}
