import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../context';
import { fileChecksum } from './csv';
import type { FileInfo, ImportOutcome } from './registro';
import { importSiz } from './siz';
import { AppError } from '../shared/errori';

/** A held import that cannot be confirmed (any more): the message says why, in Italian. */
export class ConfermaImpossibile extends AppError {
  constructor(message: string) {
    super(message, { status: 409 });
  }
}

export interface ImportazioneSospesa {
  id: number;
  origine: string;
  avviato_il: Date;
  data_estrazione: string | null;
  /** The reasons, one `file:line:column: reason` per table that lost too many rows. */
  errori: string[];
  file: FileInfo[];
}

const parse = <T>(v: unknown, empty: T): T => (v == null ? empty : typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/**
 * SIZ imports held because a table lost too many rows, still waiting for a decision: not
 * confirmed, and no SIZ extract applied after them. Newest first. For the office's list
 * (the page of the uploads shows them with their "Conferma" button).
 */
export async function importazioniSospese(ctx: AppContext): Promise<ImportazioneSospesa[]> {
  const rows = await ctx.db.knex('importazioni as i')
    .where({ 'i.tipo': 'siz', 'i.esito': 'sospesa' })
    .whereNotExists(function () {
      this.select(1).from('importazioni as ok').where('ok.tipo', 'siz').where('ok.esito', 'ok').whereRaw('ok.id > i.id');
    })
    .orderBy('i.id', 'desc')
    .select('i.id', 'i.origine', 'i.avviato_il', 'i.data_estrazione', 'i.errori', 'i.file');
  return rows.map((r) => ({ id: Number(r.id), origine: r.origine, avviato_il: new Date(r.avviato_il), data_estrazione: r.data_estrazione, errori: parse<string[]>(r.errori, []), file: parse<FileInfo[]>(r.file, []) }));
}

/**
 * "Conferma": applies a held SIZ import (esito `sospesa`) although its tables lost more rows
 * than SIZ_CALO_MASSIMO allows, because someone who knows says the loss is real. It imports the
 * same folder again with the loss check off, provided that
 * - the files are still the ones that were held (same SHA-256 checksums): what is confirmed is
 *   what was shown;
 * - no SIZ extract has been applied since: a newer snapshot must not be replaced by an older one.
 * The held row becomes `confermata`. A folder held by the inbox (DATA_DIR/inbox/sospesi/siz/)
 * moves to inbox/archivio/siz/ afterwards, as every imported set does.
 *
 * This is the one service behind `cruscotto import siz DIR --conferma` on a held folder and the
 * "Conferma" button of the web upload.
 */
export async function confermaImportazioneSiz(ctx: AppContext, id: number, opts: { utente?: string | null; log?: (msg: string) => void } = {}): Promise<ImportOutcome> {
  const row = await ctx.db.knex('importazioni').where({ id }).first('id', 'tipo', 'esito', 'origine', 'file');
  if (!row || row.tipo !== 'siz') throw new ConfermaImpossibile(`Importazione n. ${id} non trovata tra le importazioni SIZ.`);
  if (row.esito === 'confermata') throw new ConfermaImpossibile(`L'importazione n. ${id} è già stata confermata.`);
  if (row.esito !== 'sospesa') throw new ConfermaImpossibile(`L'importazione n. ${id} non è sospesa: non c'è nulla da confermare.`);
  const later = await ctx.db.knex('importazioni').where({ tipo: 'siz', esito: 'ok' }).where('id', '>', id).orderBy('id').first('id');
  if (later) throw new ConfermaImpossibile(`Dopo l'importazione n. ${id} è già stata caricata un'estrazione SIZ più recente (n. ${later.id}): confermarla sostituirebbe dati più nuovi con dati più vecchi.`);
  const dir = row.origine as string;
  const files = parse<FileInfo[]>(row.file, []);
  for (const f of files) {
    const p = path.join(dir, f.nome);
    if (!fs.existsSync(p) || (await fileChecksum(p)) !== f.checksum) {
      throw new ConfermaImpossibile(`I file dell'importazione n. ${id} non sono più quelli sospesi (${f.nome} manca o è cambiato in ${dir}): importare di nuovo la cartella.`);
    }
  }
  const out = await importSiz(ctx.db, dir, { conferma: true, limiti: ctx.config.limiti, utente: opts.utente, log: opts.log });
  const held = path.join(ctx.config.dataDir, 'inbox', 'sospesi', 'siz');
  if (path.dirname(path.resolve(dir)) === path.resolve(held)) {
    const dest = path.join(ctx.config.dataDir, 'inbox', 'archivio', 'siz', path.basename(dir));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    if (!fs.existsSync(dest)) {
      fs.renameSync(dir, dest);
      await ctx.db.knex('importazioni').whereIn('id', [id, out.id]).update({ origine: dest });
    }
  }
  return out;
}
