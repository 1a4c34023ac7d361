import type { Knex } from 'knex';
import type { AppContext } from '../context';
import type { Database } from '../db';
import { daysBetween } from '../shared/calendario';
import { prossimaOccasione } from './occasioni';
import { sqlText } from '../shared/sql';
import type { EsitoPrevisione } from './parole';
import { emailNonValide, emailValida, separaEmail } from '../shared/email';
import { AppError } from '../shared/errori';

/**
 * Deadlines: the board (state of every deadline with its figures, reminders and
 * acknowledgements) and the office's edits. docs/promemoria.md defines each state.
 */
export const TIPI_SCADENZA = ['caricamento', 'censimento', 'credenziali', 'altro'] as const;
export type TipoScadenza = (typeof TIPI_SCADENZA)[number];

export const STATI_SCADENZA = ['da_fare', 'in_corso', 'a_rischio', 'scaduta', 'completata'] as const;
export type StatoScadenza = (typeof STATI_SCADENZA)[number];

export const ETICHETTE_TIPO: Record<TipoScadenza, string> = {
  caricamento: 'Caricamento delle cartelle in SIZ',
  censimento: 'Restituzione del censimento',
  credenziali: 'Aggiornamento delle credenziali SIZ',
  altro: 'Altra scadenza',
};

export const ETICHETTE_STATO: Record<StatoScadenza, string> = {
  da_fare: 'Da fare',
  in_corso: 'In corso',
  a_rischio: 'A rischio',
  scaduta: 'Scaduta',
  completata: 'Completata',
};

/** The row of stato.sql. */
interface StatoRow {
  id: number;
  codice_istat: string;
  comune: string | null;
  email_comune: string | null;
  comune_attivo: boolean;
  tipo: TipoScadenza;
  data_scadenza: string;
  obiettivo: number;
  obiettivo_predefinito: boolean;
  descrizione: string | null;
  email: string | null;
  chiusa: boolean;
  completata_il: Date | null;
  creata_il: Date;
  digit_tot: number | null;
  siz: number | null;
  dichiarato: number | null;
  mancanti_obiettivo: number | null;
  previsione_obiettivo: string | null;
  a_rischio_riconciliazione: boolean | null;
  /** Forecast date for this deadline's own target, when known (sql/queries/scadenze/stato.sql). */
  previsione_scadenza: string | null;
  previsione_esito: EsitoPrevisione;
  data_riconciliazione: string | null;
  data_estrazione: string | null;
  digit_mese_prima: number | null;
  data_mese_prima: string | null;
  censimento_importato_il: Date | null;
  raggiunta: boolean;
  promemoria_inviati: number;
  promemoria_in_coda: number;
  ultimo_promemoria: Date | null;
  prese_visione: number;
  ultima_presa_visione: Date | null;
}

export interface Scadenza extends StatoRow {
  stato: StatoScadenza;
  a_rischio: boolean;
  /** Days from `oggi` to the deadline (negative once it has passed). */
  giorni: number;
  destinatari: string[];
  prossimo_promemoria: string | null;
}

/** The deadline's own recipients, else the comune's contacts; malformed addresses are left out. */
export function destinatari(r: { email: string | null; email_comune: string | null }): string[] {
  const own = separaEmail(r.email).filter(emailValida);
  return own.length ? own : separaEmail(r.email_comune).filter(emailValida);
}

/**
 * The state on the board:
 * - completata: met (caricamento: latest digit_tot >= obiettivo; censimento: marked done or a
 *   census round imported after the deadline was created; others: marked done);
 * - scaduta: not met and the deadline has passed;
 * - a_rischio (caricamento): the forecast reaches the target after the deadline, or there is no
 *   forecast (docs/metriche.md, "Storia, previsione e rischio");
 * - in_corso: caricamento with part of the cartelle loaded; other types acknowledged by the comune;
 * - da_fare: otherwise.
 */
export function statoScadenza(r: StatoRow, oggi: string): { stato: StatoScadenza; a_rischio: boolean } {
  const a_rischio =
    r.tipo === 'caricamento' &&
    !r.raggiunta &&
    r.digit_tot != null &&
    (r.a_rischio_riconciliazione ?? (r.previsione_scadenza == null || r.previsione_scadenza > r.data_scadenza));
  if (r.raggiunta) return { stato: 'completata', a_rischio: false };
  if (oggi > r.data_scadenza) return { stato: 'scaduta', a_rischio };
  if (a_rischio) return { stato: 'a_rischio', a_rischio };
  if (r.tipo === 'caricamento') return { stato: r.digit_tot != null && r.digit_tot > 0 ? 'in_corso' : 'da_fare', a_rischio };
  return { stato: r.prese_visione > 0 ? 'in_corso' : 'da_fare', a_rischio };
}

export interface ListOptions {
  oggi: string;
  /** Comuni the account sees: 'tutti' (UdP) or a list (a comune account: its own). */
  comuni?: 'tutti' | string[];
  id?: number;
}

export async function listScadenze(ctx: AppContext, opts: ListOptions): Promise<Scadenza[]> {
  const rows = (await ctx.db.knex.raw(sqlText('scadenze', 'stato'), { obiettivo: String(ctx.config.obiettivo), id: opts.id ?? null })).rows as StatoRow[];
  const visible = opts.comuni && opts.comuni !== 'tutti' ? new Set(opts.comuni) : null;
  return rows
    .filter((r) => !visible || visible.has(r.codice_istat))
    .map((r) => {
      const { stato, a_rischio } = statoScadenza(r, opts.oggi);
      const attiva = !r.chiusa && !r.raggiunta && r.comune_attivo;
      return {
        ...r,
        stato,
        a_rischio,
        giorni: daysBetween(opts.oggi, r.data_scadenza),
        destinatari: destinatari(r),
        prossimo_promemoria: attiva ? prossimaOccasione(r.data_scadenza, ctx.config.promemoriaGiorni, opts.oggi)?.data ?? null : null,
      };
    });
}

export async function getScadenza(ctx: AppContext, id: number, oggi: string): Promise<Scadenza | null> {
  return (await listScadenze(ctx, { oggi, id }))[0] ?? null;
}

/** What the office types in the form (strings, as posted). */
export interface ScadenzaInput {
  codice_istat?: unknown;
  tipo?: unknown;
  data_scadenza?: unknown;
  obiettivo?: unknown;
  descrizione?: unknown;
  email?: unknown;
}

export interface ScadenzaValori {
  codice_istat: string;
  tipo: TipoScadenza;
  data_scadenza: string;
  obiettivo: number | null;
  descrizione: string | null;
  email: string | null;
}

export class ScadenzaNonValida extends AppError {
  constructor(readonly errori: Record<string, string>) {
    super(Object.values(errori).join('; '), { status: 400 });
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

function isRealDate(d: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return false;
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
}

/** Validates a form; throws ScadenzaNonValida with one message per field. */
export async function validate(db: Database, input: ScadenzaInput): Promise<ScadenzaValori> {
  const errori: Record<string, string> = {};
  const codice_istat = str(input.codice_istat);
  const tipo = str(input.tipo);
  const data = str(input.data_scadenza);
  const obiettivoTxt = str(input.obiettivo).replace(',', '.');
  const descrizione = str(input.descrizione);
  const email = str(input.email);
  if (!/^\d{6}$/.test(codice_istat)) errori.codice_istat = 'Scegliere il comune.';
  else if (!(await db.knex('comuni').where({ codice_istat }).first())) errori.codice_istat = `Comune ${codice_istat} non presente nell'anagrafica.`;
  if (!(TIPI_SCADENZA as readonly string[]).includes(tipo)) errori.tipo = 'Tipo non valido (caricamento, censimento, credenziali, altro).';
  if (!isRealDate(data)) errori.data_scadenza = 'Data non valida: usare il formato AAAA-MM-GG.';
  let obiettivo: number | null = null;
  if (obiettivoTxt) {
    obiettivo = Number(obiettivoTxt);
    if (!/^\d+(\.\d{1,2})?$/.test(obiettivoTxt) || obiettivo <= 0 || obiettivo > 100) errori.obiettivo = "L'obiettivo è una percentuale maggiore di 0 e al massimo 100.";
  }
  const bad = emailNonValide(email);
  if (bad.length) errori.email = `Indirizzi non validi: ${bad.join(', ')}.`;
  if (descrizione.length > 500) errori.descrizione = 'Descrizione troppo lunga (al massimo 500 caratteri).';
  if (Object.keys(errori).length) throw new ScadenzaNonValida(errori);
  return { codice_istat, tipo: tipo as TipoScadenza, data_scadenza: data, obiettivo, descrizione: descrizione || null, email: separaEmail(email).join(', ') || null };
}

async function unique(knex: Knex, v: ScadenzaValori, exceptId?: number): Promise<void> {
  const q = knex('scadenze').where({ codice_istat: v.codice_istat, tipo: v.tipo, data_scadenza: v.data_scadenza });
  if (exceptId) q.whereNot('id', exceptId);
  if (await q.first()) throw new ScadenzaNonValida({ data_scadenza: 'Esiste già una scadenza di questo tipo per il comune in questa data.' });
}

export async function createScadenza(db: Database, input: ScadenzaInput): Promise<number> {
  const v = await validate(db, input);
  await unique(db.knex, v);
  const [row] = await db.knex('scadenze').insert(v).returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

export async function updateScadenza(db: Database, id: number, input: ScadenzaInput): Promise<boolean> {
  const v = await validate(db, input);
  await unique(db.knex, v, id);
  return (await db.knex('scadenze').where({ id }).update({ ...v, aggiornata_il: db.knex.fn.now() })) > 0;
}

/** Closing stops the reminders; reopening resumes them and clears "done". */
export async function setChiusa(db: Database, id: number, chiusa: boolean): Promise<boolean> {
  const patch: Record<string, unknown> = { chiusa, aggiornata_il: db.knex.fn.now() };
  if (!chiusa) patch.completata_il = null;
  return (await db.knex('scadenze').where({ id }).update(patch)) > 0;
}

/** Marks a deadline done (types other than caricamento, which is met by its figure). */
export async function segnaCompletata(db: Database, id: number, quando: Date): Promise<boolean> {
  return (await db.knex('scadenze').where({ id }).whereNot('tipo', 'caricamento').update({ completata_il: quando, aggiornata_il: db.knex.fn.now() })) > 0;
}

/** Whether a deadline with this id exists (closed ones included). */
export async function esisteScadenza(db: Database, id: number): Promise<boolean> {
  return !!(await db.knex('scadenze').where({ id }).first('id'));
}

/** Who acknowledged a deadline's reminders ("presa visione"), newest first. */
export async function preseVisione(db: Database, scadenzaId: number): Promise<{ destinatario: string; registrata_il: Date }[]> {
  return db.knex('prese_visione').where({ scadenza_id: scadenzaId }).orderBy('registrata_il', 'desc').select('destinatario', 'registrata_il');
}
