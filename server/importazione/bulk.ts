import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Knex } from 'knex';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../db';

/** One value as a CSV field for COPY: NULL is an unquoted empty field, text is always quoted. */
function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  const t = String(v);
  // Quoting is needed only for the characters CSV gives a meaning to (empty text never reaches
  // here: an empty field is NULL).
  return /[",\n\r\\]/.test(t) || t === '\\.' ? '"' + t.replace(/"/g, '""') + '"' : t;
}

/**
 * Bulk loading of rows into one table inside a transaction, with COPY on both engines:
 * pg-copy-streams on PostgreSQL (one streamed COPY per table), and PGlite's
 * `COPY ... FROM '/dev/blob'` per batch (about 5x faster than multi-row INSERTs there).
 * Memory stays bounded by one batch whatever the file size.
 */
export class BulkLoader {
  private lines: string[] = [];
  private copyStream: NodeJS.WritableStream | null = null;
  private readonly copySql: string;
  rows = 0;

  constructor(
    private readonly db: Database,
    private readonly trx: Knex.Transaction,
    table: string,
    private readonly columns: string[],
    private readonly batchSize = 5000,
  ) {
    const ident = (s: string) => '"' + s.replace(/"/g, '""') + '"';
    this.copySql = `COPY ${ident(table)} (${columns.map(ident).join(', ')}) FROM ${db.engine === 'postgres' ? 'STDIN' : "'/dev/blob'"} WITH (FORMAT csv)`;
  }

  add(row: unknown[]): Promise<void> | void {
    let line = '';
    for (let i = 0; i < row.length; i++) line += (i ? ',' : '') + csvField(row[i]);
    this.lines.push(line);
    this.rows++;
    if (this.lines.length >= this.batchSize) return this.flush();
  }

  private async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    const text = this.lines.join('\n') + '\n';
    this.lines = [];
    if (this.db.engine === 'postgres') {
      if (!this.copyStream) {
        const conn = (await (this.trx.client as Knex.Client).acquireConnection()) as { query(q: unknown): NodeJS.WritableStream };
        this.copyStream = conn.query(copyFrom(this.copySql));
      }
      if (!this.copyStream.write(text)) await once(this.copyStream, 'drain');
    } else {
      if (!this.db.pglite) throw new Error('PGlite instance missing');
      await this.db.pglite.query(this.copySql, [], { blob: new Blob([text]) });
    }
  }

  async finish(): Promise<number> {
    await this.flush();
    if (this.copyStream) {
      const s = this.copyStream;
      this.copyStream = null;
      s.end();
      await finished(s);
    }
    return this.rows;
  }
}
