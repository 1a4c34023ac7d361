import fs from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { Knex } from 'knex';
import { from as copyFrom } from 'pg-copy-streams';
import { PGlite } from '@electric-sql/pglite';
import { Database, PGLITE_IMPORT_DIR } from '../db';
import { CopyText } from './copia';

// In a module of their own so that the reading workers (lettore.ts) load them without the database.
export { CopyText, csvField } from './copia';

/** Where COPY data goes: a streamed COPY, a file PGlite reads in one COPY, or PGlite blobs. */
interface Sink {
  write(text: Buffer): Promise<void> | void;
  finish(): Promise<void>;
  /** Ends the load without its rows (the caller rolls the transaction back). */
  abort(reason: Error): Promise<void>;
}

/**
 * PostgreSQL: one COPY FROM STDIN streamed through pg-copy-streams on the transaction's connection.
 *
 * The stream gets an 'error' listener the moment it exists: PostgreSQL can end the COPY at any
 * time (a value it refuses, a restart, a connection killed), also while this process is busy
 * reading the file, and an 'error' event with no listener kills the process. The error is kept
 * and thrown by the next write or by finish, which the import turns into a clean failure.
 */
class StreamSink implements Sink {
  private stream: NodeJS.WritableStream | null = null;
  private failed: Error | null = null;
  constructor(private readonly trx: Knex.Transaction, private readonly sql: string) {}

  async write(text: Buffer): Promise<void> {
    if (this.failed) throw this.failed;
    if (!this.stream) {
      const conn = (await (this.trx.client as Knex.Client).acquireConnection()) as { query(q: unknown): NodeJS.WritableStream };
      const stream = conn.query(copyFrom(this.sql));
      stream.on('error', (e: Error) => {
        this.failed ??= e;
      });
      this.stream = stream;
    }
    if (!this.stream.write(text)) await this.drained(this.stream);
    if (this.failed) throw this.failed;
  }

  /** Waits for 'drain', or for the error that means it will never come. */
  private drained(s: NodeJS.WritableStream): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (e?: Error) => {
        s.off('drain', onDrain);
        s.off('error', done);
        s.off('close', onClose);
        if (e) reject(e);
        else resolve();
      };
      const onDrain = () => done();
      const onClose = () => done(this.failed ?? new Error('COPY interrotto: connessione chiusa'));
      s.on('drain', onDrain);
      s.on('error', done);
      s.on('close', onClose);
    });
  }

  async finish(): Promise<void> {
    if (this.failed) throw this.failed;
    if (!this.stream) return;
    const s = this.stream;
    this.stream = null;
    s.end();
    await finished(s);
    if (this.failed) throw this.failed;
  }

  /**
   * A COPY left open keeps the connection busy, and the ROLLBACK that follows would wait behind
   * it for ever: destroying the stream sends CopyFail, which ends the COPY with an error.
   */
  async abort(reason: Error): Promise<void> {
    const s = this.stream as (NodeJS.WritableStream & { destroy(e?: Error): void }) | null;
    this.stream = null;
    if (!s) return;
    s.destroy(reason);
    await finished(s).catch(() => undefined);
  }
}

/**
 * PGlite on disk: the rows go to a file inside its data folder, which the embedded server sees
 * at PGlite.paths.PGDATA, and one COPY reads them. Many COPY statements in one transaction made
 * PGlite's memory grow by about 100 KB each (90 MB for a million rows), and that memory is never
 * given back; one COPY from a file reads a million rows in 0.6 s with no growth.
 */
class FileSink implements Sink {
  private readonly fd: number;
  private readonly hostPath: string;
  private static seq = 0;

  constructor(private readonly trx: Knex.Transaction, dataDir: string, private readonly sql: (file: string) => string) {
    const dir = path.join(dataDir, PGLITE_IMPORT_DIR);
    fs.mkdirSync(dir, { recursive: true });
    this.hostPath = path.join(dir, `copia-${process.pid}-${++FileSink.seq}.csv`);
    this.fd = fs.openSync(this.hostPath, 'w');
  }

  write(text: Buffer): void {
    fs.writeSync(this.fd, text);
  }

  async abort(): Promise<void> {
    fs.closeSync(this.fd);
    fs.rmSync(this.hostPath, { force: true });
  }

  async finish(): Promise<void> {
    fs.closeSync(this.fd);
    try {
      await this.trx.raw(this.sql(`${PGlite.paths.PGDATA}/${PGLITE_IMPORT_DIR}/${path.basename(this.hostPath)}`));
    } finally {
      fs.rmSync(this.hostPath, { force: true });
    }
  }
}

/** PGlite in memory (no data folder to share): one `COPY ... FROM '/dev/blob'` per batch. */
class BlobSink implements Sink {
  constructor(private readonly pglite: PGlite, private readonly sql: string) {}
  async write(text: Buffer): Promise<void> {
    await this.pglite.query(this.sql, [], { blob: new Blob([new Uint8Array(text)]) });
  }
  async finish(): Promise<void> {}
  async abort(): Promise<void> {}
}

/**
 * Bulk loading of rows into one table inside a transaction, with COPY on both engines (see the
 * sinks above). Rows are turned into CSV bytes a batch at a time (CopyText): 1,000 rows keep
 * memory small (5,000-row batches of strings lived long enough to be promoted and grew the heap
 * by 50 MB). Memory stays bounded by one batch whatever the file size.
 */
export class BulkLoader {
  private readonly text = new CopyText();
  private pending = 0;
  private readonly sink: Sink;
  private readonly batchSize: number;
  rows = 0;

  /**
   * `label` names the load in the statement's text (a comment), for whoever looks at
   * pg_stat_activity when the table's own name does not say it. A SIZ import loads
   * `stg_<table>_<import id>` (sostituzione.ts), which is what the monitoring (and
   * test/importazione/guasti.test.ts) looks for; a registry import on PostgreSQL loads `anagrafe`.
   */
  constructor(db: Database, trx: Knex.Transaction, table: string, columns: string[], label?: string) {
    const ident = (s: string) => '"' + s.replace(/"/g, '""') + '"';
    const note = label ? ` /* ${label.replace(/[^a-z0-9_]/gi, '')} */` : '';
    const copy = (from: string) => `COPY ${ident(table)} (${columns.map(ident).join(', ')}) FROM ${from} WITH (FORMAT csv)${note}`;
    this.batchSize = 1000;
    if (db.engine === 'postgres') this.sink = new StreamSink(trx, copy('STDIN'));
    else if (db.pgliteDir) this.sink = new FileSink(trx, db.pgliteDir, (file) => copy(`'${file.replace(/'/g, "''")}'`));
    else {
      if (!db.pglite) throw new Error('PGlite instance missing');
      this.sink = new BlobSink(db.pglite, copy("'/dev/blob'"));
      this.batchSize = 5000; // each COPY statement has a fixed cost here
    }
  }

  add(row: unknown[]): Promise<void> | void {
    this.text.row(row);
    this.rows++;
    if (++this.pending >= this.batchSize) return this.flush();
  }

  private flush(): Promise<void> | void {
    if (this.pending === 0) return;
    this.pending = 0;
    return this.sink.write(this.text.take());
  }

  /**
   * COPY text written elsewhere (a reading worker, lettura-parallela.ts): whole rows, `rows` of
   * them, in the columns of this load.
   */
  addText(text: Buffer, rows: number): Promise<void> | void {
    this.rows += rows;
    const r = this.flush();
    if (r) return r.then(() => this.sink.write(text));
    return this.sink.write(text);
  }

  async finish(): Promise<number> {
    await this.flush();
    await this.sink.finish();
    return this.rows;
  }

  /** Ends the load without finishing it (a failed reading): the caller rolls back. */
  async abort(reason: Error): Promise<void> {
    this.text.take();
    this.pending = 0;
    await this.sink.abort(reason);
  }
}
