import fs from 'node:fs';
import zlib from 'node:zlib';
import { PassThrough } from 'node:stream';
import type ExcelJS from 'exceljs';
import { excel } from '../shared/excel';
import type { SourceRecord } from './righe';
import type { ProblemList } from './problemi';
import { fileAmmesso, intero, LimitiImport, megabyte } from './limiti';
import { AppError } from '../shared/errori';

/**
 * XLSX input, with bounded memory whatever the workbook holds.
 *
 * An XLSX file is a zip: 300 KB can inflate to a 300 MB string, which exceljs would hold whole
 * (twice, as text and as JavaScript string). So before exceljs sees the file, `checkWorkbook`
 * reads the zip's central directory and refuses declared sizes over the limit, then inflates
 * every entry as a stream (nothing kept) to verify the real sizes (a zip can lie about them),
 * the longest text run (a string over the limit) and that the entries tile the file (no hidden
 * entry that a sequential reader would find and the directory does not list). Only then the
 * workbook is read, with exceljs's streaming reader: one row at a time.
 */

/** Zip entries as the central directory lists them. */
interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressed: number;
  size: number;
  offset: number;
}

class Refused extends AppError {
  constructor(message: string) {
    super(message, { status: 400 });
  }
}

const NOT_XLSX = 'il file non è una cartella di lavoro Excel (.xlsx) leggibile';
const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

async function readAt(fh: fs.promises.FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  if (bytesRead !== length) throw new Refused(NOT_XLSX);
  return buf;
}

async function centralDirectory(fh: fs.promises.FileHandle, fileSize: number): Promise<{ entries: ZipEntry[]; cdOffset: number }> {
  // The end record is in the last 22 bytes plus at most a 64 KB comment.
  const tailLength = Math.min(fileSize, 22 + 0xffff);
  const tail = await readAt(fh, fileSize - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at === -1) throw new Refused(NOT_XLSX);
  const count = tail.readUInt16LE(at + 10);
  const cdSize = tail.readUInt32LE(at + 12);
  const cdOffset = tail.readUInt32LE(at + 16);
  // ZIP64 (sizes beyond 4 GB, or more than 65,535 entries): no census workbook needs it.
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw new Refused('la cartella di lavoro è troppo grande (formato ZIP64)');
  if (count > 10_000 || cdSize > 4 * 1024 * 1024 || cdOffset + cdSize > fileSize - tailLength + at) throw new Refused(NOT_XLSX);
  const cd = await readAt(fh, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) throw new Refused(NOT_XLSX);
    const nameLength = cd.readUInt16LE(p + 28);
    const next = p + 46 + nameLength + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
    if (next > cd.length) throw new Refused(NOT_XLSX);
    entries.push({
      flags: cd.readUInt16LE(p + 8),
      method: cd.readUInt16LE(p + 10),
      compressed: cd.readUInt32LE(p + 20),
      size: cd.readUInt32LE(p + 24),
      offset: cd.readUInt32LE(p + 42),
      name: cd.toString('utf8', p + 46, p + 46 + nameLength),
    });
    p = next;
  }
  return { entries, cdOffset };
}

/** Inflates one entry as a stream, counting its bytes and its longest run of text between tags. */
async function scanEntry(file: string, start: number, e: ZipEntry, limiti: LimitiImport, keep: boolean): Promise<Buffer | null> {
  if (e.compressed === 0) {
    // An empty stored entry (a folder); deflated data is never zero bytes long.
    if (e.size !== 0 || e.method !== 0) throw new Refused(NOT_XLSX);
    return keep ? Buffer.alloc(0) : null;
  }
  // Small compressed reads: zlib inflates a whole input chunk before the loop below sees any of
  // it, and deflate expands up to ~1,000 times, so a 64 KB read of a crafted entry could put tens
  // of MB in memory before the size and string checks stop it (seen as a peak of 339 MB instead
  // of 205 in CI). 1 KB in is at most about 1 MB out; workbooks are small, the cost is nil.
  const input = fs.createReadStream(file, { start, end: start + e.compressed - 1, highWaterMark: e.method === 8 ? 1024 : 64 * 1024 });
  const inflate = e.method === 8 ? zlib.createInflateRaw({ chunkSize: 64 * 1024 }) : new PassThrough();
  input.on('error', (err) => inflate.destroy(err));
  input.pipe(inflate);
  let size = 0;
  let run = 0;
  const kept: Buffer[] = [];
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > e.size) throw new Refused(`${NOT_XLSX}: il contenuto di ${e.name} è più grande di quanto dichiarato (file manipolato?)`);
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i];
        if (b === 0x3c || b === 0x3e) run = 0; // '<' or '>': a tag starts or ends
        else if ((b & 0xc0) !== 0x80 && ++run > limiti.xlsxStringa) {
          throw new Refused(`la cartella di lavoro contiene un testo di oltre ${intero(limiti.xlsxStringa)} caratteri (impostazione XLSX_MAX_STRINGA)`);
        }
      }
      if (keep && size <= 1024 * 1024) kept.push(Buffer.from(chunk));
    }
  } catch (err) {
    if (err instanceof Refused) throw err;
    throw new Refused(NOT_XLSX);
  } finally {
    input.destroy();
    inflate.destroy();
  }
  if (size !== e.size) throw new Refused(`${NOT_XLSX}: ${e.name} è incompleto`);
  return keep ? Buffer.concat(kept) : null;
}

/**
 * The checks described at the top; returns the sheet names in workbook order (empty when the
 * workbook does not say), or throws Refused with the reason.
 */
async function checkWorkbook(file: string, fileSize: number, limiti: LimitiImport): Promise<string[]> {
  const fh = await fs.promises.open(file, 'r');
  let entries: ZipEntry[];
  let cdOffset: number;
  const starts = new Map<ZipEntry, number>();
  try {
    ({ entries, cdOffset } = await centralDirectory(fh, fileSize));
    let total = 0;
    for (const e of entries) {
      if (e.flags & 1) throw new Refused('la cartella di lavoro è protetta da password: salvarla senza protezione');
      if (e.method !== 0 && e.method !== 8) throw new Refused(NOT_XLSX);
      if (e.method === 0 && e.size !== e.compressed) throw new Refused(NOT_XLSX);
      total += e.size;
    }
    if (total > limiti.xlsxByte) {
      throw new Refused(`la cartella di lavoro decompressa occupa ${megabyte(total)}, al massimo ${megabyte(limiti.xlsxByte)} (impostazione XLSX_MAX_MB)`);
    }
    // The entries must tile the file up to the central directory: a sequential reader (exceljs)
    // would otherwise find data the directory does not declare.
    const sorted = [...entries].sort((a, b) => a.offset - b.offset);
    let expected = 0;
    for (const e of sorted) {
      if (e.offset !== expected) throw new Refused(NOT_XLSX);
      const local = await readAt(fh, e.offset, 30);
      if (local.readUInt32LE(0) !== LOCAL) throw new Refused(NOT_XLSX);
      const start = e.offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      starts.set(e, start);
      expected = start + e.compressed;
      if (e.flags & 8) {
        // A data descriptor follows: 12 or 16 bytes (with its optional signature).
        const next = sorted[sorted.indexOf(e) + 1]?.offset ?? cdOffset;
        if (next - expected !== 12 && next - expected !== 16) throw new Refused(NOT_XLSX);
        expected = next;
      }
    }
    if (expected !== cdOffset) throw new Refused(NOT_XLSX);
  } finally {
    await fh.close();
  }
  let sheets: string[] = [];
  for (const e of entries) {
    const kept = await scanEntry(file, starts.get(e)!, e, limiti, e.name === 'xl/workbook.xml');
    if (kept) sheets = [...kept.toString('utf8').matchAll(/<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"/g)].map((m) => decodeXml(m[1]));
  }
  return sheets;
}

function decodeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos);/g, (_m, n: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[n]!);
}

/** Cell value as the text a CSV would hold: dates as YYYY-MM-DD, formulas by their result. */
function cellText(value: ExcelJS.CellValue): string {
  if (value == null) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
  }
  return String(value);
}

/**
 * The rows of the first sheet (or of the sheet named `sheetName`) as records, the first
 * non-empty row being the header; null after adding the reason to `problems` when the file is
 * refused.
 */
export async function xlsxRecords(file: string, name: string, problems: ProblemList, limiti: LimitiImport, sheetName?: string): Promise<AsyncIterable<SourceRecord[]> | null> {
  const stat = fileAmmesso(file, name, problems, limiti);
  if (!stat) return null;
  let sheets: string[];
  try {
    sheets = await checkWorkbook(file, stat.size, limiti);
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    problems.add({ file: name, line: 0, column: 0, reason: e.message });
    return null;
  }
  const wanted = (sheetName && sheets.find((s) => s.toLowerCase() === sheetName.toLowerCase())) || sheets[0];
  return rows(file, name, problems, limiti, wanted);
}

async function* rows(file: string, name: string, problems: ProblemList, limiti: LimitiImport, wanted: string | undefined): AsyncGenerator<SourceRecord[]> {
  const input = fs.createReadStream(file);
  let readError: Error | null = null;
  input.on('error', (e) => (readError = e));
  const reader = new (excel().stream.xlsx.WorkbookReader)(input, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  let cells = 0;
  let found = false;
  try {
    for await (const ws of reader) {
      const sheet = ws as unknown as ExcelJS.Worksheet & AsyncIterable<ExcelJS.Row>;
      // Without names (a workbook.xml the check could not read) the first sheet is the one.
      if (found || (wanted !== undefined && sheet.name !== undefined && sheet.name !== wanted)) continue;
      found = true;
      let batch: SourceRecord[] = [];
      for await (const row of sheet) {
        const values = row.values as ExcelJS.CellValue[]; // 1-based, index 0 unused
        const fields: string[] = [];
        for (let c = 1; c < values.length; c++) {
          const text = cellText(values[c]);
          if (text.includes('\u0000')) {
            problems.add({ file: name, line: row.number, column: c, reason: 'la cella contiene un carattere nullo (NUL): file danneggiato' });
            return;
          }
          fields[c - 1] = text;
          if (text !== '' && ++cells > limiti.xlsxCelle) {
            problems.add({ file: name, line: row.number, column: c, reason: `il foglio supera il limite di ${intero(limiti.xlsxCelle)} celle (impostazione XLSX_MAX_CELLE)` });
            return;
          }
        }
        for (let c = 0; c < fields.length; c++) if (fields[c] === undefined) fields[c] = '';
        if (fields.some((f) => f.trim() !== '')) batch.push({ fields, line: row.number });
        if (batch.length >= 1000) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    }
  } catch {
    problems.add({ file: name, line: 0, column: 0, reason: NOT_XLSX });
    return;
  } finally {
    input.destroy();
  }
  if (readError) problems.add({ file: name, line: 0, column: 0, reason: NOT_XLSX });
  else if (!found) problems.add({ file: name, line: 0, column: 0, reason: 'la cartella di lavoro non ha fogli' });
}
