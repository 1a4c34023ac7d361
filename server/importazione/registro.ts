import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Database } from '../db';
import { tryJobLock } from '../../jobs/lock';
import { databaseAssente, descriviErrore, guastoDatabase } from '../shared/guasti';
import { fileChecksum } from './csv';
import { ImportRejected, ImportSospesa } from './problemi';
import { verificaPercorso } from './percorso';
import { AppError } from '../shared/errori';

/**
 * `in_corso` while it runs; then ok | nessuna_modifica | rifiutata (format errors) | sospesa (a
 * SIZ table lost too many rows: waiting for "conferma") | confermata (a held import applied
 * later) | errore (database fault, or interrupted: closed at the next start).
 */
export type Esito = 'in_corso' | 'ok' | 'nessuna_modifica' | 'rifiutata' | 'sospesa' | 'confermata' | 'errore';

export interface FileInfo {
  nome: string;
  checksum: string;
  righe: number;
}

export interface ImportRecord {
  /** The row written when the import started (see `recorded`). */
  id: number;
  tipo: string;
  origine: string;
  avviato_il: Date;
  file: FileInfo[];
  data_estrazione?: string | null;
  esito: Esito;
  righe?: number;
  messaggio?: string;
  errori?: string[];
  avvisi?: string[];
  utente?: string | null;
}

/** What an import tells its caller (CLI, inbox job, web page). */
export interface ImportOutcome {
  id: number;
  tipo: string;
  esito: 'ok' | 'nessuna_modifica';
  messaggio: string;
  righe: Record<string, number>;
  avvisi: string[];
  data_estrazione?: string | null;
  /**
   * Dry run of a SIZ extract only: the tables that would lose too many rows, as
   * `file:line:column: reason` lines. The real import would be held (ImportSospesa) unless confirmed.
   */
  calo?: string[];
}

/** The import's own row, written before it reads anything. */
export interface ImportRun {
  id: number;
  started: Date;
}

/**
 * The import could not finish for a reason that is not in the files: the database went away,
 * refused a value, or something unexpected happened. The message is Italian and says that
 * nothing changed (the transaction was rolled back).
 */
export class ImportFailed extends AppError {
  constructor(
    message: string,
    readonly cause: unknown,
    /** The database is away (stopped, unreachable): the same files can simply be tried again. */
    readonly databaseAssente: boolean,
  ) {
    super(message, { status: databaseAssente ? 503 : 500 });
  }

  static from(e: unknown): ImportFailed {
    if (e instanceof ImportFailed) return e;
    const db = guastoDatabase(e);
    const what = db ? `Importazione interrotta da un problema del database: ${db}.` : `Importazione interrotta da un errore imprevisto: ${descriviErrore(e)}.`;
    return new ImportFailed(`${what} Nessun dato è stato modificato; l'importazione è registrata come fallita e si può ripetere.`, e, databaseAssente(e));
  }
}

/** Writes the final state of the import's row (for `ok`, inside the transaction of the data). */
export async function recordImport(knex: Knex | Knex.Transaction, r: ImportRecord): Promise<number> {
  await knex('importazioni')
    .where({ id: r.id })
    .update({
      tipo: r.tipo,
      origine: r.origine,
      avviato_il: r.avviato_il,
      concluso_il: new Date(),
      file: JSON.stringify(r.file),
      data_estrazione: r.data_estrazione ?? null,
      esito: r.esito,
      righe: r.righe ?? null,
      messaggio: r.messaggio ?? null,
      errori: r.errori ? JSON.stringify(r.errori) : null,
      avvisi: r.avvisi && r.avvisi.length ? JSON.stringify(r.avvisi) : null,
      utente: r.utente ?? null,
    });
  return r.id;
}

/**
 * A dry run ("Verifica" on the upload pages): the import does all its work, validation and
 * writes included, inside its transaction; then, instead of committing, it calls this with the
 * transaction (which sees the new content) and rolls everything back. What it returns travels
 * in VerificaConclusa. Nothing is recorded for a dry run that passes; a rejected one is recorded
 * like any rejected import.
 */
export type Verifica = (trx: Knex.Transaction, esito: ImportOutcome) => Promise<unknown>;

/** Thrown by an import in a dry run, after the preview, to roll its transaction back. */
export class VerificaConclusa extends AppError {
  constructor(
    readonly esito: ImportOutcome,
    readonly anteprima: unknown,
  ) {
    super('verifica conclusa: nessuna modifica salvata');
  }
}

/** In a dry run, ends it (throws VerificaConclusa); otherwise returns and the import commits. */
export async function seVerifica(verifica: Verifica | undefined, trx: Knex.Transaction, esito: ImportOutcome): Promise<void> {
  if (verifica) throw new VerificaConclusa(esito, await verifica(trx, esito));
}

/** Names and checksums of the files of a rejected import (a file, or the files of a folder). */
async function filesOf(origine: string): Promise<FileInfo[]> {
  try {
    const st = fs.statSync(origine);
    const files = st.isDirectory() ? fs.readdirSync(origine).map((n) => path.join(origine, n)).filter((f) => fs.statSync(f).isFile()).sort() : st.isFile() ? [origine] : [];
    const out: FileInfo[] = [];
    for (const f of files) out.push({ nome: path.basename(f), checksum: await fileChecksum(f), righe: 0 });
    return out;
  } catch {
    return []; // the path does not exist (that is what was rejected) or cannot be read
  }
}

const lockName = (id: number) => `importazione:${id}`;

/**
 * Runs an import with its row in `importazioni`: written `in_corso` first, completed by the
 * import (recordImport), or here when it is rejected, held or fails; then the error is thrown
 * again (database faults as ImportFailed, in Italian), so the caller still gets every problem.
 *
 * While it runs the import holds a lock named after its row (jobs/lock.ts: a PostgreSQL
 * session lock, gone with the process). A row left `in_corso` whose lock is free belongs to a
 * process that died or lost its database: closeInterruptedImports marks it failed at the next
 * start. The id is taken and locked before the row exists, so no one can see it unlocked.
 */
export async function recorded<T>(db: Database, base: { tipo: string; origine: string; utente?: string | null; percorso?: 'file' | 'cartella' }, run: (r: ImportRun) => Promise<T>): Promise<T> {
  // A path that is not there (or not readable) is a mistake in the command: no row is written.
  if (base.percorso) verificaPercorso(base.origine, base.percorso);
  const started = new Date();
  let id: number;
  let lock: Awaited<ReturnType<typeof tryJobLock>>;
  try {
    id = Number((await db.knex.raw(`select nextval(pg_get_serial_sequence('importazioni', 'id')) as id`)).rows[0].id);
    lock = await tryJobLock(db, lockName(id));
    await db.knex('importazioni').insert({ id, tipo: base.tipo, origine: base.origine, avviato_il: started, file: '[]', esito: 'in_corso', utente: base.utente ?? null });
  } catch (e) {
    throw ImportFailed.from(e);
  }
  try {
    return await run({ id, started });
  } catch (e) {
    if (e instanceof VerificaConclusa) {
      // A dry run that passed leaves no trace (its transaction is rolled back already).
      await db.knex('importazioni').where({ id }).del().catch(() => undefined);
      throw e;
    }
    const rejected = e instanceof ImportRejected;
    const failure = rejected ? e : ImportFailed.from(e);
    await db
      .knex('importazioni')
      .where({ id })
      .whereIn('esito', ['in_corso'])
      .update({
        concluso_il: new Date(),
        esito: e instanceof ImportSospesa ? 'sospesa' : rejected ? 'rifiutata' : 'errore',
        messaggio: failure.message,
        errori: rejected ? JSON.stringify(e.problemLines()) : null,
        avvisi: rejected && e.warnings.length ? JSON.stringify(e.warnings) : null,
        ...(e instanceof ImportSospesa ? { file: JSON.stringify(e.file), data_estrazione: e.dataEstrazione } : rejected ? { file: JSON.stringify(await filesOf(base.origine)) } : {}),
      })
      .catch(() => undefined); // the database is away: the row is closed at the next start
    throw failure;
  } finally {
    await lock?.release().catch(() => undefined);
  }
}

/**
 * At start: import rows left `in_corso` by a process that died (or lost its database before it
 * could write the outcome) are marked failed. A row whose lock is held belongs to a live import.
 */
export async function closeInterruptedImports(db: Database): Promise<number> {
  let closed = 0;
  const open = (await db.knex('importazioni').where({ esito: 'in_corso' }).select('id')) as { id: number }[];
  for (const { id } of open) {
    const lock = await tryJobLock(db, lockName(Number(id)));
    if (!lock) continue;
    try {
      closed += await db.knex('importazioni').where({ id, esito: 'in_corso' }).update({
        esito: 'errore',
        concluso_il: new Date(),
        messaggio: "Importazione interrotta prima della fine (processo fermato o database non raggiungibile): nessun dato è stato modificato. Segnata come fallita all'avvio successivo.",
      });
    } finally {
      await lock.release();
    }
  }
  return closed;
}

/** The latest successful import of a kind (`comuni`, `siz`, `censimento`...), or null when there is none. */
export async function ultimaImportazione(db: Database, tipo: string): Promise<{ id: number; origine: string | null; utente: string | null; righe: number | null; data_estrazione: string | null } | null> {
  return (await db.knex('importazioni').where({ tipo, esito: 'ok' }).orderBy('id', 'desc').first('id', 'origine', 'utente', 'righe', 'data_estrazione')) ?? null;
}
