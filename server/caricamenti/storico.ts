import path from 'node:path';
import type { AppContext } from '../context';

/**
 * The import history (/importazioni): every row of `importazioni`, whichever way the import
 * came. Who and how are told by `utente` (importazione/registro.ts): an account's e-mail for
 * the upload pages, 'inbox', 'demo', 'sistema' (the shipped nomenclature), or the system user
 * of a command line ("utente@host (riga di comando)"; empty in rows older than that).
 */
export type Canale = 'web' | 'riga di comando' | 'inbox' | 'demo' | 'sistema';

export function canaleDi(utente: string | null): Canale {
  if (utente === 'inbox' || utente === 'demo' || utente === 'sistema') return utente;
  if (utente == null || utente.endsWith('(riga di comando)')) return 'riga di comando';
  return 'web';
}

export interface FileImportato {
  nome: string;
  checksum: string;
  righe: number;
}

export interface Importazione {
  id: number;
  tipo: string;
  canale: Canale;
  utente: string | null;
  origine: string | null;
  avviato_il: Date;
  concluso_il: Date | null;
  file: FileImportato[];
  data_estrazione: string | null;
  esito: 'ok' | 'nessuna_modifica' | 'rifiutata' | 'errore' | string;
  righe: number | null;
  messaggio: string | null;
  errori: string[];
  avvisi: string[];
}

export const ESITI = ['ok', 'nessuna_modifica', 'rifiutata', 'sospesa', 'confermata', 'errore', 'in_corso'] as const;

export interface FiltroStorico {
  tipo?: string | null;
  esito?: string | null;
  pagina?: number;
  perPagina?: number;
}

function fromRow(r: Record<string, unknown>): Importazione {
  return {
    id: Number(r.id),
    tipo: r.tipo as string,
    canale: canaleDi((r.utente as string | null) ?? null),
    utente: (r.utente as string | null) ?? null,
    origine: (r.origine as string | null) ?? null,
    avviato_il: new Date(r.avviato_il as string),
    concluso_il: r.concluso_il ? new Date(r.concluso_il as string) : null,
    // Older rows (and the small imports) keep the whole path: people need the file's name.
    file: ((r.file as FileImportato[] | null) ?? []).map((f) => ({ ...f, nome: path.basename(f.nome) })),
    data_estrazione: (r.data_estrazione as string | null) ?? null,
    esito: r.esito as string,
    righe: r.righe == null ? null : Number(r.righe),
    messaggio: (r.messaggio as string | null) ?? null,
    errori: (r.errori as string[] | null) ?? [],
    avvisi: (r.avvisi as string[] | null) ?? [],
  };
}

export async function listImportazioni(ctx: AppContext, f: FiltroStorico = {}): Promise<{ righe: Importazione[]; totale: number; pagina: number; pagine: number }> {
  const perPagina = f.perPagina ?? 50;
  const base = () => {
    const q = ctx.db.knex('importazioni');
    if (f.tipo) q.where('tipo', f.tipo);
    if (f.esito) q.where('esito', f.esito);
    return q;
  };
  const totale = Number((await base().count('* as n'))[0].n);
  const pagine = Math.max(1, Math.ceil(totale / perPagina));
  const pagina = Math.min(Math.max(f.pagina ?? 1, 1), pagine);
  const rows = await base()
    .orderBy([{ column: 'avviato_il', order: 'desc' }, { column: 'id', order: 'desc' }])
    .limit(perPagina)
    .offset((pagina - 1) * perPagina);
  return { righe: rows.map(fromRow), totale, pagina, pagine };
}

export async function getImportazione(ctx: AppContext, id: number): Promise<Importazione | null> {
  const r = await ctx.db.knex('importazioni').where({ id }).first();
  return r ? fromRow(r) : null;
}

export async function tipiImportati(ctx: AppContext): Promise<string[]> {
  return (await ctx.db.knex('importazioni').distinct('tipo').orderBy('tipo')).map((r: { tipo: string }) => r.tipo);
}

/** A problem line `file:line:column: reason` (or `file: reason`) split into its parts, for the CSV. */
export function partiProblema(riga: string): [string, number | null, number | null, string] {
  const m = /^(.+?):(\d+):(\d+): ([^]*)$/.exec(riga);
  if (m) return [m[1], Number(m[2]), Number(m[3]), m[4]];
  const f = /^([^:]+): ([^]*)$/.exec(riga);
  if (f && !riga.startsWith('... ')) return [f[1], null, null, f[2]];
  return ['', null, null, riga];
}
