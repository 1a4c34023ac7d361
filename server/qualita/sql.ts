import fs from 'node:fs';
import path from 'node:path';

const DIR = path.resolve(__dirname, '..', '..', 'sql', 'queries', 'qualita');
const cache = new Map<string, string[]>();

/**
 * The statements of `sql/queries/qualita/<name>.sql`, read once. A file may hold several
 * statements, each ending with `;` at the end of a line (bound parameters need one statement
 * per call on both engines). Values are named bindings (:oggi, :esecuzione...), never spliced.
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
