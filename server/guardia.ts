import fs from 'node:fs';
import { descriviErrore } from './shared/guasti';

/**
 * The last line of defence of a `cruscotto` process (installed by bin/cruscotto.js): an error
 * nothing caught (an 'error' event without a listener, a rejected promise nobody awaited) is
 * written once in Italian and once as a log line with its details, and the process exits with
 * code 1 at once, instead of dying with a bare stack trace or going on in an unknown state.
 * What it was doing is not lost: job runs and import rows left `in_corso` are marked failed at
 * the next start (jobs/index.ts markCrashedRuns, importazione/registro.ts closeInterruptedImports),
 * and their transactions were never committed.
 */
export function installaGuardia(): void {
  let stopping = false;
  const stop = (origin: string, err: unknown) => {
    if (stopping) return;
    stopping = true;
    try {
      // Synchronous writes: the process ends right after.
      fs.writeSync(2, `Errore imprevisto: ${descriviErrore(err)}. Il processo si ferma; le operazioni in corso saranno segnate come fallite al prossimo avvio.\n`);
      const e = err instanceof Error ? { type: err.name, message: err.message, stack: err.stack } : { message: String(err) };
      fs.writeSync(2, JSON.stringify({ level: 60, time: Date.now(), origine: origin, err: e, msg: 'errore imprevisto: arresto' }) + '\n');
    } finally {
      process.exit(1);
    }
  };
  process.on('uncaughtException', (err) => stop('uncaughtException', err));
  process.on('unhandledRejection', (err) => stop('unhandledRejection', err));
}
