/**
 * A reading worker: one part of a large CSV file (bytes between two line feeds) read with the
 * same rules as the whole file (readCsvRange), its valid rows built as the table's COPY text
 * (the row builders of tabelle-siz.ts, CopyText) and sent to the main thread in blocks, which it
 * writes into the one COPY of the file (lettura-parallela.ts). Its problems go back at the end.
 * It never touches the database.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CopyText } from './copia';
import { ByteRange, readCsvRange } from './csv';
import type { LimitiImport } from './limiti';
import { ProblemList } from './problemi';
import { TABLES } from './tabelle-siz';

export interface DatiLettore {
  file: string;
  displayName: string;
  tabella: string;
  /** The extraction's date, for the row builders. */
  estrazione: string;
  limiti: LimitiImport;
  range: ByteRange;
  delimiter: ';' | ',';
  intestazione: string[];
  limiteProblemi: number;
  /** Blocks sent and not yet written by the main thread, at most. */
  inVolo: number;
  /** A block is sent once it holds this many bytes. */
  bloccoByte: number;
  /** Tests only: the worker fails after this many rows ('throw' or 'exit'). */
  guasto?: { dopo: number; come: 'throw' | 'exit' };
}

/** Messages to the main thread. */
export type DalLettore =
  | { tipo: 'testo'; buffer: ArrayBuffer; length: number; righe: number }
  | { tipo: 'fine'; rows: number; lastLine: number; stopped: number; problemi: import('./problemi').Problem[]; totale: number };

async function main(d: DatiLettore): Promise<void> {
  const port = parentPort!;
  const t = TABLES.find((x) => x.table === d.tabella);
  if (!t) throw new Error(`tabella sconosciuta: ${d.tabella}`);
  const problems = new ProblemList(d.limiteProblemi);
  const text = new CopyText(d.bloccoByte + 64 * 1024);
  let righe = 0;
  let inVolo = 0;
  let attesa: (() => void) | null = null;
  port.on('message', () => {
    inVolo--;
    if (attesa) {
      const a = attesa;
      attesa = null;
      a();
    }
  });
  const invia = (): Promise<void> | void => {
    if (righe === 0) return;
    let b = text.take();
    // Sent without a copy when the block owns its memory (CopyText's buffers are not pooled);
    // a copy of its own otherwise (Buffer.from of a few KB would be a slice of the shared pool).
    if (b.byteOffset !== 0 || b.buffer.byteLength > 2 * b.length + 64 * 1024) {
      const c = Buffer.allocUnsafeSlow(b.length);
      b.copy(c);
      b = c;
    }
    const ab = b.buffer as ArrayBuffer;
    port.postMessage({ tipo: 'testo', buffer: ab, length: b.length, righe } satisfies DalLettore, [ab]);
    righe = 0;
    if (++inVolo >= d.inVolo) return new Promise<void>((resolve) => (attesa = resolve));
  };
  let lette = 0;
  const res = await readCsvRange({
    file: d.file,
    displayName: d.displayName,
    spec: t.spec,
    problems,
    warnings: [],
    limiti: d.limiti,
    range: d.range,
    delimiter: d.delimiter,
    intestazione: d.intestazione,
    onRow: (v, riga) => {
      if (d.guasto && ++lette > d.guasto.dopo) {
        if (d.guasto.come === 'exit') process.exit(3);
        throw new Error('guasto di prova del lettore');
      }
      // After a problem the file is rejected: its rows are not needed (as in siz.ts).
      if (!problems.empty) return;
      text.row(t.build(v, riga.line, d.estrazione));
      righe++;
      if (text.length >= d.bloccoByte) return invia();
    },
  });
  await invia();
  port.postMessage({ tipo: 'fine', rows: res.rows, lastLine: res.lastLine, stopped: res.stopped, problemi: problems.items, totale: problems.total } satisfies DalLettore);
}

if (parentPort) {
  main(workerData as DatiLettore).catch((e) => {
    // An error of the worker's own is the main thread's 'error' event.
    setImmediate(() => {
      throw e;
    });
  });
}
