/**
 * The JavaScript side of a SIZ import alone: each file read, checked and written as COPY text
 * (readCsv, the row builders of siz.ts, CopyText), with no database, and its CPU seconds. The
 * part of the import's time that other sessions on the machine change least.
 *
 *   node --require ./bin/tsx-register.js bench/lettura-siz.ts [cartella] [prestazioni,accessi]
 *
 * The folder defaults to the regional data set of `npm run bench` (it must have been generated).
 */
import path from 'node:path';
import { CopyText } from '../server/importazione/bulk';
import { readCsv } from '../server/importazione/csv';
import { ProblemList } from '../server/importazione/problemi';
import { TABLES } from '../server/importazione/siz';
import { datasetDir } from './dataset';

async function main(): Promise<void> {
  const dir = process.argv[2] ?? path.join(datasetDir('regione', 2020, '2026-11-22'), 'siz');
  const names = (process.argv[3] ?? 'prestazioni,accessi').split(',');
  for (const name of names) {
    const t = TABLES.find((x) => x.table === name);
    if (!t) throw new Error(`tabella SIZ sconosciuta: ${name}`);
    const text = new CopyText();
    const problems = new ProblemList();
    let bytes = 0;
    let n = 0;
    const c0 = process.cpuUsage();
    const w0 = process.hrtime.bigint();
    await readCsv({
      file: path.join(dir, `${name}.csv`),
      spec: t.spec,
      problems,
      warnings: [],
      onRow: (v, riga) => {
        text.row(t.build(v, riga.line, '2026-11-22'));
        if (++n % 1000 === 0) bytes += text.take().length;
      },
    });
    bytes += text.take().length;
    const c = process.cpuUsage(c0);
    const wall = Number(process.hrtime.bigint() - w0) / 1e9;
    console.log(`${name}: ${n} righe, ${Math.round(bytes / 1e6)} MB di testo COPY, CPU ${((c.user + c.system) / 1e6).toFixed(2)} s, ${wall.toFixed(2)} s, problemi ${problems.total}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
