import type { Knex } from 'knex';
import { ImportRejected } from './problemi';

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
 * Runs an import; when it is rejected or fails, records that outcome and re-throws,
 * so the caller still gets the full list of problems.
 */
export async function recorded<T>(knex: Knex, base: { tipo: string; origine: string; utente?: string | null }, run: (startedAt: Date) => Promise<T>): Promise<T> {
  const started = new Date();
  try {
    return await run(started);
  } catch (e) {
    const rejected = e instanceof ImportRejected;
    await recordImport(knex, {
      ...base,
      avviato_il: started,
      file: [],
      esito: rejected ? 'rifiutata' : 'errore',
      messaggio: rejected ? e.message : (e as Error).message,
      errori: rejected ? e.report().split('\n').slice(1) : undefined,
      avvisi: rejected ? e.warnings : undefined,
    }).catch(() => undefined);
    throw e;
  }
}
