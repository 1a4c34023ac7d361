import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Request } from 'express';
import type { AppContext } from '../context';
import { audit } from '../audit';
import { tryJobLock } from '../../jobs/lock';
import { ISTANZA } from '../../jobs/log';
import { dopoImportazioni } from '../../jobs';
import { aggiornamento } from '../fatti/notte';
import { ImportRejected } from '../importazione/problemi';
import { ImportOutcome, Verifica, VerificaConclusa } from '../importazione/registro';
import { importSiz } from '../importazione/siz';
import { importCensimento } from '../importazione/censimento';
import { importAnagrafe } from '../importazione/anagrafe';
import { importScadenze } from '../importazione/scadenze';
import { importComuni } from '../importazione/comuni';
import { importNomenclatore } from '../importazione/nomenclatore';
import { parseDate } from '../importazione/valori';
import { Anteprima, confronta, statoPrima } from './anteprima';
import { controllaEstensione } from './contenuto';
import { riceviFile } from './ricezione';
import { TIPI, TipoCaricamento } from './tipi';
import { estraiZip, ZipRifiutato } from './zip';
import { AppError } from '../shared/errori';

/**
 * The upload pages' use cases (docs/ufficio.md, "Carica dati"). An upload is received to disk, checked
 * (each file is what its extension says; a ZIP is extracted safely), then:
 *  1. "Verifica": the import of `cruscotto import` runs as a dry run (registro.ts, Verifica):
 *     the same validation, every problem as file:line:column, or a preview of what would change;
 *     nothing is saved;
 *  2. "Carica": the same import for real, then the after-import chain (audit, reconciliation,
 *     quality checks...) exactly as after `cruscotto import` and the inbox.
 * Both steps run in the background, one at a time per database (the lock `importazione`,
 * jobs/lock.ts, held for the step): a second upload waits for the first and is shown "in coda".
 * The page follows the upload until it is done.
 */
export type StatoCaricamento = 'verifica' | 'verificato' | 'rifiutato' | 'caricamento' | 'caricato' | 'errore' | 'annullato';

export interface FileCaricato {
  nome: string;
  byte: number;
  checksum: string;
}

export interface Caricamento {
  id: number;
  tipo: TipoCaricamento;
  stato: StatoCaricamento;
  utente_id: number | null;
  email: string | null;
  cartella: string;
  file: FileCaricato[];
  data: string | null;
  anteprima: Anteprima | null;
  errori: string[] | null;
  totale_errori: number | null;
  avvisi: string[] | null;
  messaggio: string | null;
  importazione_id: number | null;
  istanza: string | null;
  creato_il: Date;
  aggiornato_il: Date;
}

/** Refused on arrival (size, type, ZIP content, missing date): nothing was kept. */
export class CaricamentoRifiutato extends AppError {
  constructor(
    status: number,
    readonly problemi: string[],
  ) {
    super(problemi.join(' '), { status });
  }
}

export const BLOCCO_IMPORTAZIONI = 'importazione';
/** How long a step waits for another import to finish before giving up. */
const ATTESA_MAX_MS = 60 * 60_000;
/** Uploads verified but never loaded are removed after this long. */
const CONSERVAZIONE_MS = 7 * 24 * 3_600_000;

export const SIZ_FILE = ['cartelle.csv', 'membri.csv', 'prestazioni.csv', 'accessi.csv', 'operatori.csv', 'estrazione.txt'];

export function cartellaCaricamenti(ctx: AppContext): string {
  return path.join(ctx.config.dataDir, 'caricamenti');
}

function fromRow(r: Record<string, unknown>): Caricamento {
  return { ...(r as unknown as Caricamento), id: Number(r.id), importazione_id: r.importazione_id == null ? null : Number(r.importazione_id) };
}

export async function getCaricamento(ctx: AppContext, id: number): Promise<Caricamento | null> {
  const r = await ctx.db.knex('caricamenti').where({ id }).first();
  if (!r) return null;
  const c = fromRow(r);
  return (await orfano(ctx, c)) ? ((await getCaricamento(ctx, id)) ?? c) : c;
}

export async function recentiCaricamenti(ctx: AppContext, limite = 20): Promise<Caricamento[]> {
  return (await ctx.db.knex('caricamenti').orderBy('id', 'desc').limit(limite)).map(fromRow);
}

async function aggiorna(ctx: AppContext, id: number, campi: Record<string, unknown>): Promise<void> {
  const json = (v: unknown) => (v == null ? null : JSON.stringify(v));
  const out: Record<string, unknown> = { ...campi, aggiornato_il: new Date() };
  for (const k of ['anteprima', 'errori', 'avvisi', 'file']) if (k in campi) out[k] = json(campi[k]);
  await ctx.db.knex('caricamenti').where({ id }).update(out);
}

// ---------------------------------------------------------------- arrival

/**
 * Receives an upload of `tipo` from the request into its own folder, checks it and queues the
 * dry run. Throws CaricamentoRifiutato (the folder removed) when it cannot even be verified.
 */
export async function ricevi(ctx: AppContext, req: Request, tipo: TipoCaricamento, chi: { utente_id: number | null; email: string | null; ip: string | null }): Promise<Caricamento> {
  pulisciVecchi(ctx).catch((e) => ctx.log.warn({ err: e }, 'pulizia dei caricamenti non riuscita'));
  const d = TIPI[tipo];
  const cartella = path.join(cartellaCaricamenti(ctx), `${new Date().toISOString().slice(0, 10)}-${crypto.randomBytes(8).toString('hex')}`);
  const ricevuti = path.join(cartella, 'ricevuti');
  try {
    const { campi, file } = await riceviFile(req, ricevuti, ctx.config.caricamentiMaxByte).catch((e) => {
      throw new CaricamentoRifiutato((e as { status?: number }).status ?? 400, [(e as Error).message]);
    });
    if (file.length === 0) throw new CaricamentoRifiutato(400, ['Scegliere almeno un file da caricare.']);
    if (!d.multipli && file.length > 1) throw new CaricamentoRifiutato(400, [`Caricare un solo file per volta (ricevuti: ${file.map((f) => f.nome).join(', ')}).`]);
    const problemi: string[] = [];
    for (const f of file) {
      const p = await controllaEstensione(f.percorso, f.nome, d.estensioni);
      if (p) problemi.push(p);
    }
    if (problemi.length) throw new CaricamentoRifiutato(422, problemi);

    let data: string | null = null;
    const testo = (campi.data ?? '').trim();
    if (testo) {
      const p = parseDate(testo);
      if (!p.ok) throw new CaricamentoRifiutato(422, [`${d.etichettaData ?? 'Data'}: ${p.reason}.`]);
      data = p.value;
    } else if (d.data === 'obbligatoria') throw new CaricamentoRifiutato(422, [`Indicare la ${(d.etichettaData ?? 'data').toLowerCase()}.`]);

    if (tipo === 'siz') await preparaSiz(ctx, cartella, file, data);
    const [row] = await ctx.db.knex('caricamenti')
      .insert({ tipo, stato: 'verifica', utente_id: chi.utente_id, email: chi.email, cartella, file: JSON.stringify(file.map(({ nome, byte, checksum }) => ({ nome, byte, checksum }))), data, istanza: ISTANZA })
      .returning('*');
    const c = fromRow(row);
    await audit(ctx.db, { ...chi, azione: 'caricamento', dettagli: { caricamento: c.id, tipo, file: c.file } });
    inBackground(ctx, c.id, () => verifica(ctx, c));
    return c;
  } catch (e) {
    fs.rmSync(cartella, { recursive: true, force: true });
    if (e instanceof ZipRifiutato) throw new CaricamentoRifiutato(422, [e.message]);
    if (e instanceof CaricamentoRifiutato) await audit(ctx.db, { ...chi, azione: 'caricamento_rifiutato', dettagli: { tipo, problemi: e.problemi } });
    throw e;
  }
}

/** The SIZ extract's folder, `estrazione/`: the known files of the upload or of its ZIP. */
async function preparaSiz(ctx: AppContext, cartella: string, file: { nome: string; percorso: string }[], data: string | null): Promise<void> {
  const dest = path.join(cartella, 'estrazione');
  const zip = file.filter((f) => f.nome.toLowerCase().endsWith('.zip'));
  if (zip.length && file.length > 1) throw new CaricamentoRifiutato(422, ["Caricare o un solo file ZIP con l'estrazione, o i file CSV: non entrambi."]);
  if (zip.length) {
    const { ignorati } = await estraiZip(zip[0].percorso, zip[0].nome, dest, SIZ_FILE, ctx.config.caricamentiMaxByte);
    if (ignorati.length) fs.writeFileSync(path.join(cartella, 'ignorati.json'), JSON.stringify(ignorati));
    fs.rmSync(zip[0].percorso); // extracted: the archive is not kept twice
  } else {
    fs.mkdirSync(dest, { recursive: true });
    for (const f of file) fs.renameSync(f.percorso, path.join(dest, SIZ_FILE.includes(f.nome.toLowerCase()) ? f.nome.toLowerCase() : f.nome));
  }
  const txt = path.join(dest, 'estrazione.txt');
  if (!fs.existsSync(txt)) {
    // Uploaded files carry the upload's time, not the extraction's: the date must be given.
    if (!data) throw new CaricamentoRifiutato(422, ["Indicare la data dell'estrazione: tra i file non c'è estrazione.txt."]);
    fs.writeFileSync(txt, `${data}\n`);
  }
}

// ---------------------------------------------------------------- background steps

const locali = new WeakMap<AppContext, Map<number, Promise<void>>>();

function inBackground(ctx: AppContext, id: number, fn: () => Promise<void>): void {
  const m = locali.get(ctx) ?? new Map<number, Promise<void>>();
  locali.set(ctx, m);
  const p = fn()
    .catch(async (e) => {
      ctx.log.error({ err: e, caricamento: id }, 'caricamento: errore');
      await aggiorna(ctx, id, { stato: 'errore', messaggio: `Errore tecnico: ${(e as Error).message}. Nessun dato è stato modificato da questo passo; riprovare più tardi.` }).catch(() => undefined);
    })
    .finally(() => m.delete(id));
  m.set(id, p);
}

/** Waits for the background steps of this process (tests, server stop). */
export async function attendiCaricamenti(ctx: AppContext): Promise<void> {
  while (locali.get(ctx)?.size) await Promise.all([...locali.get(ctx)!.values()]);
}

/**
 * A step marked as running whose process is gone (a restart, a crash): shown as interrupted.
 * Its transaction died with the process, so nothing of it was saved.
 */
async function orfano(ctx: AppContext, c: Caricamento): Promise<boolean> {
  if (c.stato !== 'verifica' && c.stato !== 'caricamento') return false;
  const [host, pid] = (c.istanza ?? '').split(':');
  let vivo: boolean;
  if (c.istanza === ISTANZA) vivo = Boolean(locali.get(ctx)?.has(c.id));
  else if (host === os.hostname()) {
    try {
      process.kill(Number(pid), 0);
      vivo = true;
    } catch {
      vivo = false;
    }
  } else vivo = true; // another machine's: it says itself when it is done
  if (vivo) return false;
  const n = await ctx.db.knex('caricamenti').where({ id: c.id, stato: c.stato }).update({
    stato: 'errore',
    aggiornato_il: new Date(),
    messaggio: `Interrotto: il servizio si è fermato durante ${c.stato === 'verifica' ? 'la verifica' : 'il caricamento'}. Controllare lo storico delle importazioni e, se serve, caricare di nuovo i file.`,
  });
  return n > 0;
}

/** Holds the import lock for `fn`, waiting (shown "in coda") while another import holds it. */
async function conBlocco(ctx: AppContext, id: number, fn: () => Promise<void>): Promise<void> {
  const inizio = Date.now();
  let lock = await tryJobLock(ctx.db, BLOCCO_IMPORTAZIONI);
  if (!lock) await aggiorna(ctx, id, { messaggio: "In coda: un'altra importazione è in corso; questa parte appena finisce." });
  while (!lock) {
    if (Date.now() - inizio > ATTESA_MAX_MS) throw new Error("un'altra importazione è in corso da più di un'ora");
    await new Promise((r) => setTimeout(r, 1000));
    lock = await tryJobLock(ctx.db, BLOCCO_IMPORTAZIONI);
  }
  try {
    await aggiorna(ctx, id, { messaggio: null });
    await fn();
  } finally {
    await lock.release();
  }
}

function obiettivo(c: Caricamento): string {
  if (c.tipo === 'siz') return path.join(c.cartella, 'estrazione');
  return path.join(c.cartella, 'ricevuti', c.file[0].nome);
}

/** The import of `cruscotto import <tipo>`, on the upload's files. */
function importa(ctx: AppContext, c: Caricamento, verifica?: Verifica, confermaCalo = false): Promise<ImportOutcome> {
  const o = { utente: c.email ?? 'web', verifica, limiti: ctx.config.limiti };
  const f = obiettivo(c);
  switch (c.tipo) {
    case 'siz':
      return importSiz(ctx.db, f, { ...o, conferma: confermaCalo, comeConfermare: `caricare di nuovo i file dalla pagina "Carica i dati" e confermare il calo` });
    case 'censimento':
      return importCensimento(ctx.db, f, o);
    case 'anagrafe':
      return importAnagrafe(ctx.db, f, { ...o, data: c.data ?? undefined, oggi: ctx.clock.today() });
    case 'scadenze':
      return importScadenze(ctx.db, f, o);
    case 'comuni':
      return importComuni(ctx.db, f, o);
    case 'nomenclatore':
      return importNomenclatore(ctx.db, f, o);
  }
}

function avvisiZip(c: Caricamento): string[] {
  const f = path.join(c.cartella, 'ignorati.json');
  if (!fs.existsSync(f)) return [];
  const nomi = JSON.parse(fs.readFileSync(f, 'utf8')) as string[];
  return [`elementi dell'archivio ZIP non letti (non fanno parte di un'estrazione SIZ): ${nomi.slice(0, 20).join(', ')}${nomi.length > 20 ? ` e altri ${nomi.length - 20}` : ''}`];
}

function rifiutata(e: ImportRejected): Record<string, unknown> {
  return { stato: 'rifiutato', errori: e.report().split('\n').slice(1), totale_errori: e.total, avvisi: e.warnings, messaggio: e.message };
}

async function verifica(ctx: AppContext, c: Caricamento): Promise<void> {
  await conBlocco(ctx, c.id, async () => {
    const prima = await statoPrima(ctx, c.tipo);
    try {
      await importa(ctx, c, (trx, esito) => confronta(ctx, c.tipo, prima, trx, esito));
      throw new Error("la verifica si è conclusa senza anteprima");
    } catch (e) {
      if (e instanceof VerificaConclusa) {
        const a = e.anteprima as Anteprima;
        await aggiorna(ctx, c.id, { stato: 'verificato', anteprima: a, avvisi: [...avvisiZip(c), ...a.avvisi], messaggio: a.messaggio });
        return;
      }
      if (e instanceof ImportRejected) {
        await aggiorna(ctx, c.id, rifiutata(e));
        fs.rmSync(c.cartella, { recursive: true, force: true });
        return;
      }
      throw e;
    }
  });
}

/**
 * "Carica": the verified upload is imported for real. Only from 'verificato', once (the state
 * changes in one statement, so a double click starts one import). Returns false when it cannot
 * be loaded (not verified, already loading or loaded).
 */
export async function carica(ctx: AppContext, id: number, chi: { utente_id: number | null; email: string | null; ip: string | null }, confermaCalo = false): Promise<boolean> {
  // A SIZ extract that loses too many rows is loaded only when the person confirms the loss.
  const prima = await getCaricamento(ctx, id);
  if (prima?.anteprima?.calo?.length && !confermaCalo) return false;
  const rows = (await ctx.db.knex('caricamenti')
    .where({ id, stato: 'verificato' })
    .update({ stato: 'caricamento', istanza: ISTANZA, aggiornato_il: new Date(), messaggio: null })
    .returning('*')) as Record<string, unknown>[];
  if (!rows.length) return false;
  const c = fromRow(rows[0]);
  if (c.anteprima?.nessuna_modifica) {
    await aggiorna(ctx, id, { stato: 'verificato' });
    return false;
  }
  const calo = Boolean(c.anteprima?.calo?.length);
  await audit(ctx.db, { ...chi, azione: 'caricamento_confermato', dettagli: { caricamento: id, tipo: c.tipo, ...(calo ? { calo_confermato: c.anteprima!.calo } : {}) } });
  inBackground(ctx, id, () =>
    conBlocco(ctx, id, async () => {
      // The import and its chain are one night for the pages (server/fatti/notte.ts).
      const fatto = await aggiornamento(ctx.db, `caricamento ${c.tipo}`, async () => {
        let out: ImportOutcome;
        try {
          out = await importa(ctx, c, undefined, calo);
        } catch (e) {
          if (!(e instanceof ImportRejected)) throw e;
          // Valid at the dry run, refused now: the database changed in between (e.g. the comuni).
          await aggiorna(ctx, id, rifiutata(e));
          return null;
        }
        return { out, righe: out.esito === 'ok' ? await dopoImportazioni(ctx, [c.tipo], `caricamento ${c.tipo}`) : [] };
      });
      if (fatto) await aggiorna(ctx, id, { stato: 'caricato', importazione_id: fatto.out.id || null, messaggio: [fatto.out.messaggio, ...fatto.righe].join('\n'), avvisi: [...avvisiZip(c), ...fatto.out.avvisi] });
      fs.rmSync(c.cartella, { recursive: true, force: true });
    }),
  );
  return true;
}

export async function annulla(ctx: AppContext, id: number, chi: { utente_id: number | null; email: string | null; ip: string | null }): Promise<boolean> {
  const rows = (await ctx.db.knex('caricamenti').where({ id, stato: 'verificato' }).update({ stato: 'annullato', aggiornato_il: new Date(), messaggio: 'Annullato: nessun dato è stato modificato.' }).returning('*')) as Record<string, unknown>[];
  if (!rows.length) return false;
  fs.rmSync(String(rows[0].cartella), { recursive: true, force: true });
  await audit(ctx.db, { ...chi, azione: 'caricamento_annullato', dettagli: { caricamento: id } });
  return true;
}

/** Uploads verified and left there for a week, and the folders of finished ones, are removed. */
async function pulisciVecchi(ctx: AppContext): Promise<void> {
  const limite = new Date(Date.now() - CONSERVAZIONE_MS);
  const vecchi = (await ctx.db.knex('caricamenti').where({ stato: 'verificato' }).where('aggiornato_il', '<', limite).update({ stato: 'annullato', messaggio: 'Annullato: non caricato entro 7 giorni dalla verifica.' }).returning('cartella')) as { cartella: string }[];
  for (const v of vecchi) fs.rmSync(v.cartella, { recursive: true, force: true });
}
