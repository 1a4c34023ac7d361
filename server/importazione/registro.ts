import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { ImportRejected } from './problemi';
import { fileChecksum } from './csv';

export type Esito = 'ok' | 'nessuna_modifica' | 'rifiutata' | 'errore';

export interface FileInfo {
  nome: string;
  checksum: string;
  righe: number;
}

export interface ImportRecord {
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
  esito: Exclude<Esito, 'rifiutata' | 'errore'>;
  messaggio: string;
  righe: Record<string, number>;
  avvisi: string[];
  data_estrazione?: string | null;
}

/** Every import is recorded, also a rejected one (outside the rolled-back transaction). */
export async function recordImport(knex: Knex | Knex.Transaction, r: ImportRecord): Promise<number> {
  const [row] = await knex('importazioni')
    .insert({
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
    })
    .returning('id');
  return typeof row === 'object' ? row.id : row;
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
export class VerificaConclusa extends Error {
  constructor(
    readonly esito: ImportOutcome,
    readonly anteprima: unknown,
  ) {
    super('verifica conclusa: nessuna modifica salvata');
    this.name = 'VerificaConclusa';
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

/**
 * Runs an import; when it is rejected or fails, records that outcome and re-throws,
 * so the caller still gets the full list of problems.
 */
export async function recorded<T>(knex: Knex, base: { tipo: string; origine: string; utente?: string | null }, run: (startedAt: Date) => Promise<T>): Promise<T> {
  const started = new Date();
  try {
    return await run(started);
  } catch (e) {
    if (e instanceof VerificaConclusa) throw e;
    const rejected = e instanceof ImportRejected;
    await recordImport(knex, {
      ...base,
      avviato_il: started,
      file: rejected ? await filesOf(base.origine) : [],
      esito: rejected ? 'rifiutata' : 'errore',
      messaggio: rejected ? e.message : (e as Error).message,
      errori: rejected ? e.report().split('\n').slice(1) : undefined,
      avvisi: rejected ? e.warnings : undefined,
    }).catch(() => undefined);
    throw e;
  }
}
