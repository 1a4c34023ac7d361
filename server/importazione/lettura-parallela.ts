/**
 * A large CSV file read by several worker threads at once, each one a part of it (lettore.ts),
 * while this thread writes their COPY text into the file's one COPY. On two cores the reading
 * (checks, values, COPY text: JavaScript on one thread) was the longest part of a regional SIZ
 * import, and PostgreSQL's COPY mostly waited for it (docs/bench.md).
 *
 * The report is the one of reading the file from start to end (readCsv): each part's problems
 * come back in its order, and the parts' lists are joined in the order of the parts (every line
 * of a part comes before the next part's), cut as ProblemList cuts them. Every row carries its
 * line (`riga`), so the order of the rows in the table does not matter (duplicates are found
 * by the primary key and searched by line). When a part that is not the last stops on something
 * that changes the reading of what follows (a byte that is not UTF-8, a record the parser could
 * not read, or a part that ends inside a quoted field because a stray quote fooled the split),
 * or the rows exceed the limit, the parallel reading says so (null) and the caller reads the
 * file again from the start, alone: the rare bad file costs a second reading, never a
 * different report.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isUtf8 } from 'node:buffer';
import { Worker } from 'node:worker_threads';
import { ByteRange, checkHeader, fileChecksum, ReadResult, sniff, TableSpec } from './csv';
import type { DalLettore, DatiLettore } from './lettore';
import { LimitiImport, LIMITI_PREDEFINITI } from './limiti';
import { ProblemList } from './problemi';

/**
 * Below this size a file is read by this thread alone: starting a worker (its own V8 and tsx
 * loading the modules) costs ~0.2-0.3 s of CPU. `CRUSCOTTO_LETTURA_PARALLELA_MB` changes it
 * (0: every file that can be split; the tests use it).
 */
export const impostazioni = {
  sogliaByte: Number(process.env.CRUSCOTTO_LETTURA_PARALLELA_MB ?? 32) * 1024 * 1024,
  /** Parts at most (one worker each). */
  parti: Math.min(4, os.availableParallelism()),
  /** Tests only: the last worker fails (lettore.ts). */
  guasto: undefined as DatiLettore['guasto'],
};

export interface PianoLettura {
  file: string;
  name: string;
  delimiter: ';' | ',';
  intestazione: string[];
  /** The warnings of the header, as readCsv gives them. */
  avvisi: string[];
  parti: ByteRange[];
}

/**
 * How to read `file` in parts, or null when it is read alone: small, one part only, or anything
 * unusual at its start (a header with quotes, a header problem, not a text file), which
 * readCsv reports as it always did.
 */
export function pianoParallelo(file: string, name: string, spec: TableSpec, limiti: LimitiImport = LIMITI_PREDEFINITI, parti = impostazioni.parti): PianoLettura | null {
  if (parti < 2) return null;
  const scratch = new ProblemList();
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return null;
  }
  if (size < impostazioni.sogliaByte) return null;
  const delimiter = sniff(file, name, scratch, limiti);
  if (delimiter === null || !scratch.empty) return null;
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
    const nl = head.indexOf(0x0a, bom);
    if (nl === -1 || nl >= n) return null;
    const bytes = head.subarray(bom, nl);
    if (bytes.indexOf(0x22) !== -1 || bytes.indexOf(0) !== -1 || !isUtf8(bytes)) return null;
    let text = bytes.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const fields = text.split(delimiter);
    if (fields.length === 1 && fields[0] === '') return null; // an empty first line: not the header
    const intestazione = fields.map((h) => h.trim().toLowerCase());
    const avvisi: string[] = [];
    checkHeader(intestazione, spec, name, scratch, avvisi);
    if (!scratch.empty) return null;
    const ranges = dividi(fd, size, nl + 1, parti);
    return ranges.length < 2 ? null : { file, name, delimiter, intestazione, avvisi, parti: ranges };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The parts of [start, size): each ends just after a line feed at or past its share of the bytes
 * that has an even number of double quotes before it (not inside a quoted field, as far as
 * quotes tell), and starts at the line that follows (its physical line number: line feeds before
 * it, plus one). The bytes up to the last split are read once here (~0.1 s for 160 MB).
 */
function dividi(fd: number, size: number, start: number, parti: number): ByteRange[] {
  const out: ByteRange[] = [];
  const buf = Buffer.allocUnsafe(1024 * 1024);
  let lines = 1; // line feeds before `pos`, plus one
  let quotes = 0;
  let pos = 0;
  let from = start;
  let fromLine = 2;
  let k = 1;
  let target = start + Math.floor(((size - start) * k) / parti);
  while (pos < size && k < parti) {
    const n = fs.readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos);
    if (n === 0) break;
    const b = buf.subarray(0, n);
    let i = 0;
    while (i < n && k < parti) {
      if (pos + i < target) {
        // Up to the target (or the chunk's end), counted in bulk.
        const stop = Math.min(n, target - pos);
        for (let j = b.indexOf(0x0a, i); j !== -1 && j < stop; j = b.indexOf(0x0a, j + 1)) lines++;
        for (let j = b.indexOf(0x22, i); j !== -1 && j < stop; j = b.indexOf(0x22, j + 1)) quotes++;
        i = stop;
        continue;
      }
      // Past the target: line feed by line feed, until one outside quotes.
      const nl = b.indexOf(0x0a, i);
      const stop = nl === -1 ? n : nl;
      for (let j = b.indexOf(0x22, i); j !== -1 && j < stop; j = b.indexOf(0x22, j + 1)) quotes++;
      if (nl === -1) {
        i = n;
        break;
      }
      lines++;
      i = nl + 1;
      if (quotes % 2 === 0 && pos + i < size) {
        out.push({ start: from, end: pos + i, firstLine: fromLine });
        from = pos + i;
        fromLine = lines;
        k++;
        target = Math.max(from, start + Math.floor(((size - start) * k) / parti));
      }
    }
    pos += n;
  }
  if (out.length) out.push({ start: from, end: size, firstLine: fromLine });
  return out;
}

export interface OpzioniParallele {
  piano: PianoLettura;
  tabella: string;
  estrazione: string;
  limiti?: LimitiImport;
  problems: ProblemList;
  warnings: string[];
  /** Writes a block of COPY text of `righe` rows (BulkLoader.addText). */
  scrivi(text: Buffer, righe: number): Promise<void> | void;
  onProgress?(rows: number): void;
}

const PROGRESS_EVERY = 50_000;

/**
 * Reads the plan's parts in workers and writes their text with `scrivi`. Returns the reading's
 * result, or null when the file must be read again alone (see above; the caller throws away
 * what was written). A worker that fails (an exception, or its thread ending) ends the reading
 * with an error, the other workers stopped.
 */
export async function leggiParallelo(o: OpzioniParallele): Promise<ReadResult | null> {
  const { piano } = o;
  const limiti = o.limiti ?? LIMITI_PREDEFINITI;
  const checksum = fileChecksum(piano.file);
  checksum.catch(() => undefined);
  const workers: Worker[] = [];
  let scritte = 0;
  let nextProgress = PROGRESS_EVERY;
  // One write at a time, in the order the blocks arrive.
  let coda: Promise<void> = Promise.resolve();
  let fallita: Error | null = null;
  const fini: Extract<DalLettore, { tipo: 'fine' }>[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let finiti = 0;
      const fallisci = (e: Error) => {
        if (fallita) return;
        fallita = e;
        reject(e);
      };
      piano.parti.forEach((range, i) => {
        const dati: DatiLettore = {
          file: piano.file,
          displayName: piano.name,
          tabella: o.tabella,
          estrazione: o.estrazione,
          limiti,
          range,
          delimiter: piano.delimiter,
          intestazione: piano.intestazione,
          limiteProblemi: o.problems.limite,
          inVolo: 8,
          bloccoByte: 192 * 1024,
          guasto: i === piano.parti.length - 1 ? impostazioni.guasto : undefined,
        };
        const w = new Worker(path.join(__dirname, 'lettore.js'), { workerData: dati });
        workers.push(w);
        w.on('message', (m: DalLettore) => {
          if (m.tipo === 'testo') {
            const text = Buffer.from(m.buffer, 0, m.length);
            coda = coda
              .then(() => (fallita ? undefined : o.scrivi(text, m.righe)))
              .then(() => {
                scritte += m.righe;
                if (o.onProgress && scritte >= nextProgress) {
                  o.onProgress(scritte);
                  nextProgress += PROGRESS_EVERY;
                }
                w.postMessage(0);
              }, fallisci);
          } else {
            fini[i] = m;
            if (++finiti === piano.parti.length) coda.then(() => resolve(), fallisci);
          }
        });
        w.on('error', (e) => fallisci(new Error(`la lettura di ${piano.name} si è interrotta (righe da ${range.firstLine}): ${e.message}`)));
        w.on('exit', (code) => {
          if (!fini[i]) fallisci(new Error(`la lettura di ${piano.name} si è interrotta (righe da ${range.firstLine}): il thread di lettura è terminato (codice ${code})`));
        });
      });
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }

  const ultime = fini.slice(0, -1);
  const rows = fini.reduce((n, f) => n + f.rows, 0);
  // At the limit too: a part that reached it stopped there (readRecords), the next ones did not.
  if (ultime.some((f) => f.stopped > 0) || rows >= limiti.righe) return null;
  o.warnings.push(...piano.avvisi);
  const before = o.problems.total;
  for (const f of fini) o.problems.merge(f.problemi, f.totale);
  if (rows === 0 && o.problems.total === before) {
    o.problems.add({ file: piano.name, line: 1, column: 0, reason: "il file contiene solo l'intestazione, nessuna riga di dati" });
  }
  const lastLine = fini.reduce((l, f) => (f.lastLine > 0 ? f.lastLine : l), 1);
  return { rows, checksum: await checksum, header: piano.intestazione, lastLine };
}
