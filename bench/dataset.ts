/**
 * The benchmark's data set, cached under os.tmpdir() by (scala, seme, oggi): the generator is
 * deterministic, so a second run reuses the files. `.completo` is written last: a run killed
 * half-way leaves no marker and the next run generates again.
 * Run directly (`node --require tsx/cjs bench/dataset.ts SCALA SEME OGGI`) it generates the set.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { genera } from '../server/genera/index';
import type { Scala } from '../server/genera/parametri';

export function datasetDir(scala: string, seme: number, oggi: string): string {
  return path.join(os.tmpdir(), `cruscotto-bench-${scala}-${seme}-${oggi}`);
}

export function isCached(dir: string): boolean {
  return fs.existsSync(path.join(dir, '.completo'));
}

/** Every regular file under dir (relative paths) with its size. */
export function filesOf(dir: string, rel = ''): { file: string; bytes: number }[] {
  const out: { file: string; bytes: number }[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) out.push(...filesOf(dir, r));
    else if (!e.name.startsWith('.')) out.push({ file: r, bytes: fs.statSync(path.join(dir, r)).size });
  }
  return out;
}

if (require.main === module) {
  const [scala, seme, oggi] = process.argv.slice(2);
  const dir = datasetDir(scala, Number(seme), oggi);
  const t = Date.now();
  fs.rmSync(dir, { recursive: true, force: true });
  genera({ dir, scala: scala as Scala, seme: Number(seme), oggi })
    .then(() => fs.writeFileSync(path.join(dir, '.completo'), `${(Date.now() - t) / 1000}\n`))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
