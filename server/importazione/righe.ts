import { Readable } from 'node:stream';
import { parse, Options } from 'csv-parse';

/** One CSV record and the line (as a text editor counts them, header = 1) where it starts. */
export interface SourceRecord {
  fields: string[];
  line: number;
}

/** A record the parser could not read. */
export interface RecordsError {
  line: number;
  /** 1-based field position where reading stopped; 0 when unknown. */
  column: number;
  reason: string;
}

/** Records handed over together: one promise per batch instead of one per row. */
const BATCH = 1000;

const PARSE_OPTIONS: Options = {
  bom: true,
  relax_column_count: true,
  relax_quotes: true,
  // Empty lines come through as records and are skipped below: counting them here keeps line
  // numbers right without csv-parse's `info` (which cost a fifth of the parse).
  skip_empty_lines: false,
  record_delimiter: ['\r\n', '\n'],
};

/**
 * The records of a CSV file, given as UTF-8 chunks that end on whole characters. A chunk may be
 * overwritten once the next one is asked for: what is kept is decoded or copied first.
 *
 * Lines are split by hand as long as each one is "plain": no double quote at all, or only fields
 * quoted whole (`"..."` between delimiters, `""` inside for a quote, no line break). From the
 * first line that is anything else, csv-parse reads the rest. A plain line means exactly this to
 * csv-parse too (with our options nothing else is special), and the split is about fifteen times
 * cheaper: the parser was half the time of a million-row import, and spreadsheets quote every
 * amount with a decimal comma (`"238,60"`), so a third of a real extract's lines carry quotes.
 * Anything else quoted (line breaks inside fields, stray quotes, text after a closing quote,
 * a line beyond maxChars) is left entirely to the library.
 */
export async function* csvRecords(chunks: AsyncIterable<Buffer>, delimiter: string, onError: (e: RecordsError) => void, maxChars = 1024 * 1024, firstLine = 1): AsyncGenerator<SourceRecord[]> {
  const it = chunks[Symbol.asyncIterator]();
  let line = firstLine;
  let carry = '';
  // A byte order mark only counts at the start of the file, not of a part read on its own.
  let first = firstLine === 1;
  // A line longer than maxChars is reported once, then skipped up to its end: memory stays
  // bounded by maxChars whatever the file holds.
  let skipping = false;
  let batch: SourceRecord[] = [];
  const tooLong = (at: number, column: number) =>
    onError({ line: at, column, reason: `riga troppo lunga: oltre ${maxChars.toLocaleString('it-IT')} caratteri (un campo senza fine o un file danneggiato)` });

  /** False when the line is not plain: the slow phase must read it (and everything after it). */
  const pushLine = (text: string): boolean => {
    if (text.endsWith('\r')) text = text.slice(0, -1);
    let fields: string[] | null;
    if (text.indexOf('"') === -1) fields = text.split(delimiter);
    else if (text.length > maxChars || (fields = splitQuoted(text, delimiter)) === null) return false;
    const at = line++;
    // An empty line (or one empty quoted field, which csv-parse reads the same way) is skipped, and counted.
    if (fields.length > 1 || fields[0] !== '') batch.push({ fields, line: at });
    return true;
  };

  // Fast phase: whole plain lines.
  let rest: string | null = null;
  for (;;) {
    const next = await it.next();
    if (next.done) {
      if (carry !== '' && !pushLine(carry)) {
        rest = carry;
        break;
      }
      if (batch.length) yield batch;
      return;
    }
    let text = carry + next.value.toString('utf8');
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (skipping) {
      const nl = text.indexOf('\n');
      if (nl === -1) continue;
      line++;
      text = text.slice(nl + 1);
      skipping = false;
    }
    let start = 0;
    let plain = true;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      if (!pushLine(text.slice(start, nl))) {
        plain = false;
        break;
      }
      start = nl + 1;
    }
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
    if (!plain) {
      rest = text.slice(start);
      break;
    }
    carry = text.slice(start);
    // An unfinished line with a quote may be a quoted field spanning lines: the slow phase reads it.
    if (carry.length > maxChars) {
      if (carry.indexOf('"') !== -1) {
        rest = carry;
        break;
      }
      tooLong(line, countFields(carry, delimiter));
      carry = '';
      skipping = true;
    }
  }
  if (batch.length) {
    yield batch;
    batch = [];
  }

  // Slow phase: csv-parse from the first line with a quote to the end of the file.
  const offset = line - 1;
  async function* remaining(): AsyncGenerator<Buffer> {
    yield Buffer.from(rest!, 'utf8');
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield Buffer.from(next.value); // a copy: the stream below may still hold it when the next is read
    }
  }
  const parser = parse({ ...PARSE_OPTIONS, delimiter, max_record_size: maxChars });
  const source = Readable.from(remaining());
  source.on('error', (e) => parser.destroy(e));
  source.pipe(parser);
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      const at = line++;
      // A quoted field may span several lines: the next record starts that much further down.
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i];
        for (let k = f.indexOf('\n'); k !== -1; k = f.indexOf('\n', k + 1)) line++;
      }
      if (fields.length === 1 && fields[0] === '') continue; // empty line
      batch.push({ fields, line: at });
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  } catch (e) {
    const err = e as { code?: string; lines?: number; column?: unknown; message: string };
    if (!err.code || !err.code.startsWith('CSV_')) throw e;
    const column = typeof err.column === 'number' ? err.column + 1 : 0;
    // An unclosed quote is reported where its record starts, the line the clerk must fix (the
    // whole record: its quote may be anywhere in it).
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') onError({ line, column: 0, reason: 'virgolette aperte e mai chiuse: il resto del file non si può leggere' });
    else if (err.code === 'CSV_MAX_RECORD_SIZE') tooLong(line, column);
    else onError({ line: offset + (err.lines ?? 1), column, reason: `CSV non leggibile: ${err.message.slice(0, 200)}` });
  } finally {
    source.unpipe(parser);
    source.destroy();
  }
}

/**
 * The fields of a line (without its line break) whose quoted fields are all quoted whole:
 * `"` right after a delimiter (or at the start), the closing `"` right before a delimiter (or at
 * the end), `""` inside for one quote. Null for anything else, which csv-parse must read.
 */
export function splitQuoted(text: string, delimiter: string): string[] | null {
  const fields: string[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === 0x22) {
      // Quoted field: up to the quote that is not doubled.
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q === -1) return null; // unclosed on this line: may go on in the next one
        if (text.charCodeAt(q + 1) === 0x22) {
          value += text.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        value += text.slice(from, q);
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === n) return fields;
      if (!text.startsWith(delimiter, i)) return null; // text after the closing quote
      i += delimiter.length;
    } else {
      const d = text.indexOf(delimiter, i);
      const end = d === -1 ? n : d;
      const q = text.indexOf('"', i);
      if (q !== -1 && q < end) return null; // a quote inside an unquoted field
      fields.push(text.slice(i, end));
      if (d === -1) return fields;
      i = d + delimiter.length;
    }
  }
}

/** Fields begun in a line's text (no quotes in it: the fast phase only sees such lines). */
function countFields(text: string, delimiter: string): number {
  let n = 1;
  for (let i = text.indexOf(delimiter); i !== -1; i = text.indexOf(delimiter, i + 1)) n++;
  return n;
}
