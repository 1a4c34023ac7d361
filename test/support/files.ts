import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A temporary folder with the given files (name -> content), removed by the caller's afterAll. */
export function tempFiles(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-files-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** CSV text from rows, with `;` by default and LF endings. */
export function csv(rows: (string | number | null)[][], delimiter = ';'): string {
  return rows.map((r) => r.map((v) => (v == null ? '' : String(v))).join(delimiter)).join('\n') + '\n';
}
