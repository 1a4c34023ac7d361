/**
 * Streaming CSV writer (RFC 4180 quoting) with backpressure.
 * Rows are appended to an in-memory chunk synchronously (the generator's inner loops
 * stay synchronous and fast); the owner calls `flush()` between households, which
 * hands full chunks to the file stream and waits for 'drain' when the stream is full,
 * so memory stays bounded even for multi-gigabyte regione files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

const CHUNK = 256 * 1024;

export type Campo = string | number | null | undefined;

export class CsvWriter {
  readonly file: string;
  rows = 0;
  private readonly stream: fs.WriteStream;
  private readonly delim: string;
  private readonly needsQuote: RegExp;
  private buf = '';

  constructor(file: string, header: readonly string[], delim: ';' | ',') {
    this.file = file;
    this.delim = delim;
    this.needsQuote = delim === ';' ? /[";\r\n]/ : /[",\r\n]/;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.stream = fs.createWriteStream(file, { encoding: 'utf8', highWaterMark: 1024 * 1024 });
    this.buf = header.join(delim) + '\n';
  }

  private field(v: Campo): string {
    if (v == null) return '';
    const s = typeof v === 'number' ? String(v) : v;
    return this.needsQuote.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }

  row(fields: readonly Campo[]): void {
    let line = this.field(fields[0]);
    for (let i = 1; i < fields.length; i++) line += this.delim + this.field(fields[i]);
    this.buf += line + '\n';
    this.rows++;
  }

  get pending(): boolean {
    return this.buf.length >= CHUNK;
  }

  /** Writes the buffered rows, waiting for the stream to drain when it is full. */
  async flush(): Promise<void> {
    if (this.buf.length === 0) return;
    const chunk = this.buf;
    this.buf = '';
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
  }
}

/** A group of writers flushed together (one call per household in the main loop). */
export class Writers {
  private readonly all: CsvWriter[] = [];

  add(w: CsvWriter): CsvWriter {
    this.all.push(w);
    return w;
  }

  async maybeFlush(): Promise<void> {
    for (const w of this.all) if (w.pending) await w.flush();
  }

  async closeAll(): Promise<void> {
    for (const w of this.all) await w.close();
  }
}

/** Writes a small file in one go (estrazione.txt etc.). */
export function writeSmall(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, 'utf8');
}
