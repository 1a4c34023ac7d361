/**
 * Reads the reference files shipped in the project's fixtures/ folder (the 61 comuni
 * of the ambito, the default nomenclature). The folder is found by walking up from
 * this file, so the code works both from the TypeScript sources (tsx, jest) and from
 * a compiled copy in another folder of the project.
 */
import fs from 'node:fs';
import path from 'node:path';

export function fixturesDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'fixtures');
    if (fs.existsSync(path.join(candidate, 'nomenclatore.csv'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`cartella fixtures/ non trovata risalendo da ${__dirname}`);
}

/** Minimal RFC 4180 reader for the small, well-formed reference files (comma-separated). */
export function readSmallCsv(file: string): Record<string, string>[] {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...data] = rows;
  return data.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), (r[i] ?? '').trim()])));
}
