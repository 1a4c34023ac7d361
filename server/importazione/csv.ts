import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import type { Parsed } from './valori';
import { ProblemList } from './problemi';
import { csvRecords, SourceRecord } from './righe';

export type { SourceRecord };

/** One column of an input file, as the data contract describes it. */
export interface FieldSpec {
  name: string;
  /** The column must exist and the field must not be empty. */
  required?: boolean;
  /** Turns the trimmed, non-empty text into a value; absent = text as it is. */
  parse?: (raw: string) => Parsed<unknown>;
}

export interface TableSpec {
  fields: FieldSpec[];
  /** Groups of alternative columns: at least one of each group must be in the header. */
  oneOf?: string[][];
}

export type RowValues = Record<string, unknown>;

/** Valid only during the onRow call: copy `line` if you keep it. */
export interface RowContext {
  line: number;
  /** 1-based position of a column in this file (0 when absent), for problem locations. */
  col(name: string): number;
  problem(column: string, reason: string): void;
}

export interface ReadOptions {
  file: string;
  /** Name used in problem locations, e.g. `cartelle.csv`. */
  displayName?: string;
  spec: TableSpec;
  problems: ProblemList;
  warnings: string[];
  /** Called for each row without format problems. May return a promise (bulk flush). */
  onRow(values: RowValues, ctx: RowContext): void | Promise<void>;
  onProgress?(rows: number): void;
}

export interface ReadResult {
  rows: number;
  checksum: string;
  header: string[];
}

const PROGRESS_EVERY = 50_000;

/** SHA-256 of a file, streamed. */
export async function fileChecksum(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  // One buffer, read into again and again: a stream allocates a new one per chunk, and hashing a
  // 100 MB file that way left ~30 MB of freed-but-kept memory in the process before the import.
  const buf = Buffer.allocUnsafe(1024 * 1024);
  const fh = await fs.promises.open(file, 'r');
  try {
    for (let n; (n = (await fh.read(buf, 0, buf.length, null)).bytesRead) > 0; ) hash.update(buf.subarray(0, n));
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}

/** Offset of the first byte that breaks UTF-8 in buf, or -1. Incomplete tail sequences are fine. */
function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    let n = 0;
    if (b < 0x80) n = 0;
    else if (b >= 0xc2 && b <= 0xdf) n = 1;
    else if (b >= 0xe0 && b <= 0xef) n = 2;
    else if (b >= 0xf0 && b <= 0xf4) n = 3;
    else return i;
    if (i + n >= buf.length) return -1; // sequence continues in the next chunk
    for (let k = 1; k <= n; k++) if ((buf[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

function countByte(buf: Buffer, byte: number, end = buf.length): number {
  let n = 0;
  for (let i = buf.indexOf(byte); i !== -1 && i < end; i = buf.indexOf(byte, i + 1)) n++;
  return n;
}

/** `;` or `,`, whichever appears more often outside quotes in the header line. */
export function detectDelimiter(headerLine: string): ';' | ',' {
  let semi = 0;
  let comma = 0;
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ';') semi++;
    else if (!quoted && ch === ',') comma++;
  }
  return comma > semi ? ',' : ';';
}

/** Reads the start of the file to reject what is not a text CSV and find the delimiter. */
function sniff(file: string, name: string, problems: ProblemList): ';' | ',' | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    problems.add({ file: name, line: 0, column: 0, reason: `il file non esiste (${file})` });
    return null;
  }
  if (!stat.isFile()) {
    problems.add({ file: name, line: 0, column: 0, reason: `non è un file (${file})` });
    return null;
  }
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(64 * 1024);
  const n = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  let buf = head.subarray(0, n);
  if (buf.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))) buf = buf.subarray(3);
  if (buf.toString('utf8').trim() === '') {
    problems.add({ file: name, line: 0, column: 0, reason: 'il file è vuoto' });
    return null;
  }
  if (buf.includes(0)) {
    problems.add({ file: name, line: 0, column: 0, reason: 'il file è binario, non un CSV di testo (un foglio Excel va salvato come CSV UTF-8)' });
    return null;
  }
  const nl = buf.indexOf(0x0a);
  const headerLine = buf.subarray(0, nl === -1 ? buf.length : nl).toString('utf8');
  return detectDelimiter(headerLine);
}

/** Length of buf without an incomplete UTF-8 sequence at its end (continued in the next chunk). */
function completeUtf8Length(buf: Buffer): number {
  // Look back at most 3 bytes for the lead byte of the last sequence.
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? buf.length - back : buf.length;
  }
  return buf.length;
}

/**
 * The file's bytes, hashed and checked to be UTF-8 (anything else is rejected with its line).
 * csv-parse gets the bytes as they are: decoding to strings here and back to bytes inside the
 * parser cost a third of the import time.
 *
 * Each chunk is valid only until the next one is asked for: the same buffer is read into again
 * (csvRecords copies what it keeps). A new buffer per chunk, as a read stream gives, left tens of
 * MB of freed-but-kept memory in the process after a 100 MB file.
 */
async function* utf8Chunks(file: string, name: string, problems: ProblemList, hash: crypto.Hash): AsyncGenerator<Buffer> {
  let linesBefore = 0;
  let carry = 0; // bytes of an incomplete UTF-8 sequence kept at the start of `buf`
  // 64 KB: the text of a chunk stays below V8's large-object size (128 KB) and dies young. With
  // 256 KB the heap peaked at 120 MB instead of 76 MB (bench:import, PostgreSQL, 1M rows).
  const buf = Buffer.allocUnsafe(64 * 1024 + 4);
  const fh = await fs.promises.open(file, 'r');
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, carry, buf.length - carry, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(carry, carry + bytesRead));
      const filled = carry + bytesRead;
      const end = completeUtf8Length(buf.subarray(0, filled));
      const whole = buf.subarray(0, end);
      if (!isUtf8(whole)) {
        const at = firstInvalidUtf8(whole);
        const line = linesBefore + countByte(whole, 0x0a, at === -1 ? whole.length : at) + 1;
        problems.add({ file: name, line, column: 0, reason: 'il file non è in codifica UTF-8 (salvarlo come "CSV UTF-8")' });
        return;
      }
      linesBefore += countByte(whole, 0x0a);
      if (whole.length) yield whole;
      // The incomplete tail moves to the front, to be completed by the next read.
      carry = buf.copy(buf, 0, end, filled);
    }
  } finally {
    await fh.close();
  }
  if (carry) {
    problems.add({ file: name, line: linesBefore + 1, column: 0, reason: 'il file non è in codifica UTF-8 (salvarlo come "CSV UTF-8")' });
  }
}

/**
 * Streams a CSV file through the contract's general rules, calling onRow for each valid row.
 * Problems (format errors) are collected in `problems`; the caller decides to reject.
 */
export async function readCsv(opts: ReadOptions): Promise<ReadResult> {
  const name = opts.displayName ?? path.basename(opts.file);
  const hash = crypto.createHash('sha256');
  const delimiter = sniff(opts.file, name, opts.problems);
  if (delimiter === null) return { rows: 0, checksum: '', header: [] };
  const records = csvRecords(utf8Chunks(opts.file, name, opts.problems, hash), delimiter, (e) =>
    opts.problems.add({ file: name, line: e.line, column: 0, reason: e.reason }),
  );
  const res = await readRecords({ ...opts, displayName: name }, records, `separatore "${delimiter}"`);
  return { ...res, checksum: hash.digest('hex') };
}

/**
 * The rules shared by CSV and XLSX inputs: header check, required fields, value parsing,
 * problems located by line and column. The first record is the header. Records come in batches.
 */
export async function readRecords(opts: ReadOptions, source: AsyncIterable<SourceRecord[]>, hint = ''): Promise<Omit<ReadResult, 'checksum'>> {
  const name = opts.displayName ?? path.basename(opts.file);
  const { problems, spec } = opts;
  let header: string[] = [];
  let index = new Map<string, number>();
  let rows = 0;
  let converters: { field: FieldSpec; pos: number }[] = [];
  const problemsBefore = problems.total;
  // One context object, updated per row: a million closures per file would cost more than the parsing.
  const ctx: RowContext = {
    line: 0,
    col: (n) => (index.has(n) ? index.get(n)! + 1 : 0),
    problem(column, reason) {
      problems.add({ file: name, line: this.line, column: index.has(column) ? index.get(column)! + 1 : 0, reason: `${column}: ${reason}` });
    },
  };

  outer: for await (const batch of source) for (const { fields, line } of batch) {
    if (header.length === 0) {
      header = fields.map((h) => h.trim().toLowerCase());
      index = checkHeader(header, spec, name, problems, opts.warnings);
      converters = spec.fields.filter((f) => index.has(f.name)).map((field) => ({ field, pos: index.get(field.name)! }));
      if (problems.total > problemsBefore) break outer; // a header problem makes every row meaningless
      continue;
    }

    rows++;
    if (fields.length > header.length && fields.slice(header.length).some((f) => f.trim() !== '')) {
      problems.add({ file: name, line, column: header.length + 1, reason: `la riga ha ${fields.length} campi, l'intestazione ne ha ${header.length}${hint ? ` (${hint})` : ''}` });
      continue;
    }
    let bad = false;
    const values: RowValues = {};
    for (const { field, pos } of converters) {
      const raw = (fields[pos] ?? '').trim();
      if (raw === '') {
        values[field.name] = null;
        if (field.required) {
          problems.add({ file: name, line, column: pos + 1, reason: `${field.name}: campo obbligatorio vuoto` });
          bad = true;
        }
        continue;
      }
      if (!field.parse) {
        values[field.name] = raw;
        continue;
      }
      const parsed = field.parse(raw);
      if (parsed.ok) values[field.name] = parsed.value;
      else {
        problems.add({ file: name, line, column: pos + 1, reason: `${field.name}: ${parsed.reason}` });
        bad = true;
      }
    }
    if (bad) continue;
    ctx.line = line;
    const r = opts.onRow(values, ctx);
    if (r) await r;
    if (opts.onProgress && rows % PROGRESS_EVERY === 0) opts.onProgress(rows);
  }

  if (header.length === 0 && problems.total === problemsBefore) {
    problems.add({ file: name, line: 0, column: 0, reason: 'il file è vuoto' });
  } else if (rows === 0 && problems.total === problemsBefore) {
    problems.add({ file: name, line: 1, column: 0, reason: "il file contiene solo l'intestazione, nessuna riga di dati" });
  }
  return { rows, header };
}

function checkHeader(header: string[], spec: TableSpec, name: string, problems: ProblemList, warnings: string[]): Map<string, number> {
  const index = new Map<string, number>();
  const known = new Set(spec.fields.map((f) => f.name));
  const unknown: string[] = [];
  header.forEach((h, i) => {
    if (h === '') return;
    if (index.has(h)) {
      problems.add({ file: name, line: 1, column: i + 1, reason: `colonna "${h}" ripetuta nell'intestazione` });
      return;
    }
    index.set(h, i);
    if (!known.has(h)) unknown.push(h);
  });
  for (const f of spec.fields) {
    if (f.required && !index.has(f.name)) {
      problems.add({ file: name, line: 1, column: 0, reason: `manca la colonna obbligatoria "${f.name}" (colonne trovate: ${header.join(', ')})` });
    }
  }
  for (const group of spec.oneOf ?? []) {
    if (!group.some((c) => index.has(c))) {
      problems.add({ file: name, line: 1, column: 0, reason: `serve una delle colonne ${group.map((c) => `"${c}"`).join(' o ')}` });
    }
  }
  if (unknown.length) warnings.push(`${name}: colonne sconosciute ignorate: ${unknown.join(', ')}`);
  return index;
}
