import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', 'sql', 'queries');
const texts = new Map<string, string>();
const lists = new Map<string, string[]>();

/**
 * The text of sql/queries/<folder>/<name>.sql, read once. Comments (`--` to the end of the
 * line) are removed, so a `:name` or `?` written in a comment is never taken for a binding.
 * Values are always bound by the caller, never spliced into this text.
 */
export function sqlText(folder: string, name: string): string {
  const key = `${folder}/${name}`;
  let text = texts.get(key);
  if (text === undefined) {
    text = fs
      .readFileSync(path.join(ROOT, folder, `${name}.sql`), 'utf8')
      .replace(/--[^\n]*/g, '')
      .replace(/\n\s*\n/g, '\n');
    texts.set(key, text);
  }
  return text;
}

/**
 * The statements of a file that holds several, each ending with `;` at the end of a line
 * (bound parameters need one statement per call on both engines). Only whole-line comments are
 * removed here, as the multi-statement files were written for.
 */
export function sqlStatements(folder: string, name: string): string[] {
  const key = `${folder}/${name}`;
  let list = lists.get(key);
  if (!list) {
    list = fs
      .readFileSync(path.join(ROOT, folder, `${name}.sql`), 'utf8')
      .replace(/^\s*--.*$/gm, '')
      .split(/;[ \t]*$/m)
      .map((x) => x.trim())
      .filter((x) => x.length > 0);
    lists.set(key, list);
  }
  return list;
}
