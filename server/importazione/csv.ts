import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import type { Parsed } from './valori';
import { Problem, ProblemList } from './problemi';
import { csvRecords, SourceRecord } from './righe';
import { citazione, fileAmmesso, intero, LimitiImport, LIMITI_PREDEFINITI, maxRecordChars } from './limiti';

export type { SourceRecord };

/** One column of an input file, as the data contract describes it. */
export interface FieldSpec {
  name: string;
  /** The column must exist and the field must not be empty. */
  required?: boolean;
  /** Turns the trimmed, non-empty text into a value; absent = text as it is. */
  parse?: (raw: string) => Parsed<unknown>;
  /** An identifier or code: held to the identifier length limit instead of the text one. */
  id?: boolean;
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
  onRow(values: RowValues, riga: RowContext): void | Promise<void>;
  onProgress?(rows: number): void;
  /** Size, rows and field lengths allowed; default LIMITI_PREDEFINITI. */
  limiti?: LimitiImport;
  /** How the row limit is named in its message; default the setting IMPORT_MAX_RIGHE. */
  rowLimitNote?: string;
  /**
   * The header, read and checked already: every record is a data row (readCsvRange).
   */
  intestazione?: string[];
  /**
   * Rows shorter than the header are format errors (a file cut short). False for sources that
   * do not write trailing empty cells (an XLSX row ends at its last non-empty cell).
   */
  strictFieldCount?: boolean;
}

export interface ReadResult {
  rows: number;
  checksum: string;
  header: string[];
  /** Line of the last record read (the header is 1), 0 when nothing was read. */
  lastLine: number;
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

/**
 * Offset of the first byte that breaks UTF-8 in buf (overlong forms, surrogates and code points
 * beyond U+10FFFF included, as isUtf8 rejects them), or -1. Incomplete tail sequences are fine.
 */
function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    let n = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (b < 0x80) n = 0;
    else if (b >= 0xc2 && b <= 0xdf) n = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      n = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + n >= buf.length) return -1; // sequence continues in the next chunk
    if (n > 0 && (buf[i + 1] < lo || buf[i + 1] > hi)) return i;
    for (let k = 2; k <= n; k++) if ((buf[i + k] & 0xc0) !== 0x80) return i;
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
export function sniff(file: string, name: string, problems: Pick<ProblemList, 'add'>, limiti: LimitiImport): ';' | ',' | null {
  if (!fileAmmesso(file, name, problems, limiti)) return null;
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(64 * 1024);
  let n: number;
  try {
    n = fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  let buf = head.subarray(0, n);
  if (buf.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))) buf = buf.subarray(3);
  if (buf.toString('utf8').trim() === '') {
    problems.add({ file: name, line: 0, column: 0, reason: 'il file è vuoto' });
    return null;
  }
  // A NUL byte is found (with its line and column) by utf8Chunks, anywhere in the file.
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

/** 1-based field position reached at the end of `bytes` (a line's start): delimiters outside quotes + 1. */
function fieldAt(bytes: Buffer, delimiter: number): number {
  let col = 1;
  let quoted = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x22) quoted = !quoted;
    else if (!quoted && b === delimiter) col++;
  }
  return col;
}

/** Bytes of the current line kept to find the column of a bad byte; beyond this the column is approximate. */
const TAIL_MAX = 1024 * 1024;

const NUL_REASON = 'il file è binario, non un CSV di testo: contiene un byte nullo (NUL) (un foglio Excel va salvato come "CSV UTF-8")';
const UTF8_REASON = 'il file non è in codifica UTF-8 (salvarlo come "CSV UTF-8")';

/**
 * A part of a file read on its own (lettura-parallela.ts): bytes [start, end), starting at the
 * beginning of physical line `firstLine` (start is 0 or just after a line feed).
 */
export interface ByteRange {
  start: number;
  end: number;
  firstLine: number;
}

/**
 * The file's bytes, hashed and checked to hold neither a NUL byte nor anything that is not UTF-8
 * (PostgreSQL refuses both: they must be found here, with their line and column, before any row
 * reaches the database). csv-parse gets the bytes as they are: decoding to strings here and back
 * to bytes inside the parser cost a third of the import time.
 *
 * Each chunk is valid only until the next one is asked for: the same buffer is read into again
 * (csvRecords copies what it keeps). A new buffer per chunk, as a read stream gives, left tens of
 * MB of freed-but-kept memory in the process after a 100 MB file.
 */
async function* utf8Chunks(file: string, name: string, problems: Pick<ProblemList, 'add'>, hash: crypto.Hash | null, delimiter: string, range?: ByteRange): AsyncGenerator<Buffer> {
  const delim = delimiter.charCodeAt(0);
  let linesBefore = range ? range.firstLine - 1 : 0;
  let position = range ? range.start : 0;
  const end = range ? range.end : Infinity;
  let carry = 0; // bytes of an incomplete UTF-8 sequence kept at the start of `buf`
  // The current line's bytes read so far (after the last line feed), for the column of a bad byte.
  let tail: Buffer[] = [];
  let tailLength = 0;
  const column = (chunk: Buffer, at: number): number => {
    const start = at > 0 ? chunk.lastIndexOf(0x0a, at - 1) : -1;
    return fieldAt(start === -1 ? Buffer.concat([...tail, chunk.subarray(0, at)]) : chunk.subarray(start + 1, at), delim);
  };
  // 64 KB: the text of a chunk stays below V8's large-object size (128 KB) and dies young. With
  // 256 KB the heap peaked at 120 MB instead of 76 MB (bench:import, PostgreSQL, 1M rows).
  const buf = Buffer.allocUnsafe(64 * 1024 + 4);
  const fh = await fs.promises.open(file, 'r');
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, carry, Math.min(buf.length - carry, end - position), position);
      if (bytesRead === 0) break;
      position += bytesRead;
      hash?.update(buf.subarray(carry, carry + bytesRead));
      const filled = carry + bytesRead;
      const complete = completeUtf8Length(buf.subarray(0, filled));
      const whole = buf.subarray(0, complete);
      const nul = whole.indexOf(0);
      const bad = isUtf8(whole) ? -1 : firstInvalidUtf8(whole);
      if (nul !== -1 || bad !== -1) {
        const at = nul === -1 ? bad : bad === -1 ? nul : Math.min(nul, bad);
        const line = linesBefore + countByte(whole, 0x0a, at) + 1;
        // The lines before the bad byte's are read to their end: the reading stopped at the end
        // of the previous chunk, in the middle of a line, which then looked cut short («la riga
        // ha 7 campi...», a line with nothing wrong), at a line that depended on where the
        // chunks fell (a file read in parts, lettura-parallela.ts, got another one).
        const nl = whole.lastIndexOf(0x0a, at);
        if (nl !== -1) yield Buffer.from(whole.subarray(0, nl + 1));
        problems.add({ file: name, line, column: column(whole, at), reason: at === nul ? NUL_REASON : UTF8_REASON });
        return;
      }
      linesBefore += countByte(whole, 0x0a);
      const lastNl = whole.lastIndexOf(0x0a);
      if (lastNl !== -1) {
        tail = [Buffer.from(whole.subarray(lastNl + 1))];
        tailLength = whole.length - lastNl - 1;
      } else if (tailLength < TAIL_MAX) {
        tail.push(Buffer.from(whole));
        tailLength += whole.length;
      }
      if (whole.length) yield whole;
      // The incomplete tail moves to the front, to be completed by the next read.
      carry = buf.copy(buf, 0, complete, filled);
    }
  } finally {
    await fh.close();
  }
  if (carry) {
    problems.add({ file: name, line: linesBefore + 1, column: fieldAt(Buffer.concat(tail), delim), reason: UTF8_REASON });
  }
}

/**
 * Streams a CSV file through the contract's general rules, calling onRow for each valid row.
 * Problems (format errors) are collected in `problems`; the caller decides to reject.
 */
export async function readCsv(opts: ReadOptions): Promise<ReadResult> {
  const name = opts.displayName ?? path.basename(opts.file);
  const limiti = opts.limiti ?? LIMITI_PREDEFINITI;
  const hash = crypto.createHash('sha256');
  const delimiter = sniff(opts.file, name, opts.problems, limiti);
  if (delimiter === null) return { rows: 0, checksum: '', header: [], lastLine: 0 };
  const records = csvRecords(
    utf8Chunks(opts.file, name, opts.problems, hash, delimiter),
    delimiter,
    (e) => opts.problems.add({ file: name, line: e.line, column: e.column, reason: e.reason }),
    maxRecordChars(limiti),
  );
  const res = await readRecords({ strictFieldCount: true, ...opts, displayName: name }, records, `separatore "${delimiter}"`);
  return { ...res, checksum: hash.digest('hex') };
}

/**
 * A part of a CSV file read on its own, by a reading worker (lettore.ts): the bytes of `range`,
 * whose lines are all data rows of a file whose header (`intestazione`, already read and
 * checked) and delimiter are given. The same rules as readCsv, row by row; no checksum, no
 * byte order mark, no "empty file" problems (the whole file's, lettura-parallela.ts).
 * `stopped` counts the problems that end or may change the reading of what follows (a NUL or
 * non-UTF-8 byte, a record the parser could not read): after one in a part that is not the last,
 * the parts after it would not have been read as they were (lettura-parallela.ts).
 */
export async function readCsvRange(opts: ReadOptions & { range: ByteRange; delimiter: ';' | ','; intestazione: string[] }): Promise<Omit<ReadResult, 'checksum'> & { stopped: number }> {
  const name = opts.displayName ?? path.basename(opts.file);
  const limiti = opts.limiti ?? LIMITI_PREDEFINITI;
  let stopped = 0;
  const reading = {
    add: (p: Problem) => {
      stopped++;
      opts.problems.add(p);
    },
  };
  const records = csvRecords(
    utf8Chunks(opts.file, name, reading, null, opts.delimiter, opts.range),
    opts.delimiter,
    (e) => reading.add({ file: name, line: e.line, column: e.column, reason: e.reason }),
    maxRecordChars(limiti),
    opts.range.firstLine,
  );
  const res = await readRecords({ strictFieldCount: true, ...opts, displayName: name }, records, `separatore "${opts.delimiter}"`);
  return { ...res, stopped };
}

/** Converts one column of a row, with its position in the file and its length limit. */
interface Converter {
  field: FieldSpec;
  pos: number;
  max: number;
  tooLong: string;
}

/**
 * The rules shared by CSV and XLSX inputs: header check, field count, length limits, required
 * fields, value parsing, problems located by line and column. The first record is the header.
 * Records come in batches.
 */
export async function readRecords(opts: ReadOptions, source: AsyncIterable<SourceRecord[]>, hint = ''): Promise<Omit<ReadResult, 'checksum'>> {
  const name = opts.displayName ?? path.basename(opts.file);
  const { problems, spec } = opts;
  const limiti = opts.limiti ?? LIMITI_PREDEFINITI;
  let header: string[] = [];
  let index = new Map<string, number>();
  let rows = 0;
  let lastLine = 0;
  // Fields a row must have: up to the last named column (a trailing `;` in the header adds none).
  let needed = 0;
  let converters: Converter[] = [];
  const problemsBefore = problems.total;
  // One context object, updated per row: a million closures per file would cost more than the parsing.
  const riga: RowContext = {
    line: 0,
    col: (n) => (index.has(n) ? index.get(n)! + 1 : 0),
    problem(column, reason) {
      problems.add({ file: name, line: this.line, column: index.has(column) ? index.get(column)! + 1 : 0, reason: `${column}: ${reason}` });
    },
  };

  const prepare = () => {
    needed = opts.strictFieldCount ? header.reduce((n, h, i) => (h !== '' ? i + 1 : n), 0) : 0;
    converters = spec.fields
      .filter((f) => index.has(f.name))
      .map((field) => {
        const max = field.id ? limiti.id : limiti.testo;
        return { field, pos: index.get(field.name)!, max, tooLong: `${field.name}: ${field.id ? 'identificativo' : 'testo'} troppo lungo, al massimo ${intero(max)} caratteri` };
      });
  };
  // A header read and checked before (a part of the file read on its own, readCsvRange).
  if (opts.intestazione) {
    header = opts.intestazione;
    index = columnIndex(header);
    prepare();
  }

  outer: for await (const batch of source) for (const { fields, line } of batch) {
    lastLine = line;
    if (header.length === 0) {
      header = fields.map((h) => h.trim().toLowerCase());
      index = checkHeader(header, spec, name, problems, opts.warnings);
      prepare();
      if (problems.total > problemsBefore) break outer; // a header problem makes every row meaningless
      continue;
    }

    if (++rows > limiti.righe) {
      problems.add({ file: name, line, column: 0, reason: `il file supera il limite di ${intero(limiti.righe)} righe di dati (${opts.rowLimitNote ?? 'impostazione IMPORT_MAX_RIGHE'})` });
      break outer;
    }
    if (fields.length > header.length && fields.slice(header.length).some((f) => f.trim() !== '')) {
      problems.add({ file: name, line, column: header.length + 1, reason: `la riga ha ${fields.length} campi, l'intestazione ne ha ${header.length}${hint ? ` (${hint})` : ''}` });
      continue;
    }
    if (fields.length < needed) {
      // A row cut short (a file truncated in the middle of a line, or fields lost): never "empty".
      problems.add({ file: name, line, column: fields.length + 1, reason: `la riga ha ${fields.length} ${fields.length === 1 ? 'campo' : 'campi'}, l'intestazione ne ha ${needed}: riga incompleta o file troncato${hint ? ` (${hint})` : ''}` });
      continue;
    }
    let bad = false;
    const values: RowValues = {};
    for (const c of converters) {
      const text = fields[c.pos] ?? '';
      if (text.length > c.max) {
        problems.add({ file: name, line, column: c.pos + 1, reason: `${c.tooLong} (${intero(text.length)}): ${citazione(text)}` });
        bad = true;
        continue;
      }
      const raw = text.trim();
      const { field } = c;
      if (raw === '') {
        values[field.name] = null;
        if (field.required) {
          problems.add({ file: name, line, column: c.pos + 1, reason: `${field.name}: campo obbligatorio vuoto` });
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
        problems.add({ file: name, line, column: c.pos + 1, reason: `${field.name}: ${parsed.reason}` });
        bad = true;
      }
    }
    if (bad) continue;
    riga.line = line;
    const r = opts.onRow(values, riga);
    if (r) await r;
    if (opts.onProgress && rows % PROGRESS_EVERY === 0) opts.onProgress(rows);
  }

  if (opts.intestazione) {
    // The whole file's "empty" problems are its reader's.
  } else if (header.length === 0 && problems.total === problemsBefore) {
    problems.add({ file: name, line: 0, column: 0, reason: 'il file è vuoto' });
  } else if (rows === 0 && problems.total === problemsBefore) {
    problems.add({ file: name, line: 1, column: 0, reason: "il file contiene solo l'intestazione, nessuna riga di dati" });
  }
  return { rows: Math.min(rows, limiti.righe), header, lastLine };
}

/** At most 20 column names, each shortened: a header line can be anything. */
function columnList(names: string[]): string {
  const shown = names.slice(0, 20).map((n) => (n.length > 40 ? citazione(n) : n));
  return shown.join(', ') + (names.length > 20 ? ` e altre ${names.length - 20}` : '');
}

/** The position of each column of a header that checkHeader accepted (the first of a name). */
function columnIndex(header: string[]): Map<string, number> {
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    if (h !== '' && !index.has(h)) index.set(h, i);
  });
  return index;
}

export function checkHeader(header: string[], spec: TableSpec, name: string, problems: Pick<ProblemList, 'add'>, warnings: string[]): Map<string, number> {
  const index = new Map<string, number>();
  const known = new Set(spec.fields.map((f) => f.name));
  const unknown: string[] = [];
  header.forEach((h, i) => {
    if (h === '') return;
    if (index.has(h)) {
      problems.add({ file: name, line: 1, column: i + 1, reason: `colonna ${citazione(h)} ripetuta nell'intestazione` });
      return;
    }
    index.set(h, i);
    if (!known.has(h)) unknown.push(h);
  });
  for (const f of spec.fields) {
    if (f.required && !index.has(f.name)) {
      problems.add({ file: name, line: 1, column: 0, reason: `manca la colonna obbligatoria "${f.name}" (colonne trovate: ${columnList(header.filter((h) => h !== ''))})` });
    }
  }
  for (const group of spec.oneOf ?? []) {
    if (!group.some((c) => index.has(c))) {
      problems.add({ file: name, line: 1, column: 0, reason: `serve una delle colonne ${group.map((c) => `"${c}"`).join(' o ')}` });
    }
  }
  if (unknown.length) warnings.push(`${name}: colonne sconosciute ignorate: ${columnList(unknown)}`);
  return index;
}
