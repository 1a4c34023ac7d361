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
 * Lines are split on the delimiter directly until the first double quote appears; from that line
 * on, csv-parse reads the rest. A line without quotes means exactly this to csv-parse too (with
 * our options nothing else is special), and the split is about fifteen times cheaper: exports
 * from SIZ rarely quote anything, and the parser was half the time of a million-row import.
 * Anything quoted (delimiters or line breaks inside fields, escaped quotes, stray quotes) is
 * left entirely to the library.
 */
export async function* csvRecords(chunks: AsyncIterable<Buffer>, delimiter: string, onError: (e: RecordsError) => void, maxChars = 1024 * 1024): AsyncGenerator<SourceRecord[]> {
  const it = chunks[Symbol.asyncIterator]();
  let line = 1;
  let carry = '';
  let first = true;
  // A line longer than maxChars is reported once, then skipped up to its end: memory stays
  // bounded by maxChars whatever the file holds.
  let skipping = false;
  let batch: SourceRecord[] = [];
  const tooLong = (at: number, column: number) =>
    onError({ line: at, column, reason: `riga troppo lunga: oltre ${maxChars.toLocaleString('it-IT')} caratteri (un campo senza fine o un file danneggiato)` });

  const pushLine = (text: string) => {
    const at = line++;
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text === '') return; // empty line
    batch.push({ fields: text.split(delimiter), line: at });
  };

  // Fast phase: whole lines without quotes.
  let rest: string | null = null;
  for (;;) {
    const next = await it.next();
    if (next.done) {
      if (carry !== '') pushLine(carry);
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
    const quote = text.indexOf('"');
    const cut = quote === -1 ? text.lastIndexOf('\n') + 1 : text.lastIndexOf('\n', quote) + 1;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1 && nl < cut; nl = text.indexOf('\n', start)) {
      pushLine(text.slice(start, nl));
      start = nl + 1;
    }
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
    if (quote !== -1) {
      rest = text.slice(cut);
      break;
    }
    carry = text.slice(cut);
    if (carry.length > maxChars) {
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

/** Fields begun in a line's text (no quotes in it: the fast phase only sees such lines). */
function countFields(text: string, delimiter: string): number {
  let n = 1;
  for (let i = text.indexOf(delimiter); i !== -1; i = text.indexOf(delimiter, i + 1)) n++;
  return n;
}
