import type { AppContext } from '../context';
import type { Database } from '../db';
import { audit } from '../audit';
import type { Utente } from '../auth/tipi';
import { CENSUS_METRICS } from '../importazione/schede';
import { giroApertoPer, type Giro } from './giri';
import { avvisi, Avviso, esamina, Esame, Figure } from './regole';
import { riferimenti } from './riferimenti';
import { pianificaRiconciliazione } from './riconcilia';
import { AppError } from '../shared/errori';
import { giorno } from '../shared/formato';

/**
 * A comune's census form (docs/censimento.md): the draft, the submission (which writes the
 * census row exactly as an import does, meets the comune's `censimento` deadline and schedules
 * the reconciliation), amendments until the deadline, the history of submissions.
 */
export interface Dichiarazione extends Figure {
  stato: 'bozza' | 'inviata';
  note: string | null;
  aggiornata_da: string | null;
  aggiornata_il: Date;
}

export interface Invio extends Figure {
  id: number;
  giro_id: number;
  data_riferimento: string;
  note: string | null;
  origine: 'modulo' | 'ufficio' | 'importazione';
  inviato_da: string | null;
  inviato_il: Date;
  avvisi: Avviso[];
}

export interface Modulo {
  giro: Giro;
  dichiarazione: Dichiarazione | null;
  rif: Awaited<ReturnType<typeof riferimenti>>;
  invii: Invio[];
  /** May this account still submit (or amend)? And if not, why. */
  modificabile: boolean;
  motivo: string | null;
}

export class DichiarazioneNonValida extends AppError {
  constructor(readonly esame: Esame) {
    super(Object.values(esame.errori).join(' '), { status: 400 });
  }
}

export class InvioNonAmmesso extends AppError {
  constructor(message: string) {
    super(message, { status: 409 });
  }
}

const figure = (r: Record<string, unknown>): Figure => {
  const f = {} as Figure;
  for (const m of CENSUS_METRICS) f[m] = r[m] == null ? null : Number(r[m]);
  return f;
};

/** Every submission of the comune, newest first (this round's and earlier rounds'). */
export async function storico(ctx: AppContext, istat: string, giroId?: number): Promise<Invio[]> {
  const q = ctx.db.knex('censimento_invii as i').join('censimento_giri as g', 'g.id', 'i.giro_id').where('i.codice_istat', istat).select('i.*', 'g.data_riferimento').orderBy('i.id', 'desc');
  if (giroId) q.where('i.giro_id', giroId);
  return (await q).map((r) => ({ ...r, ...figure(r), id: Number(r.id), giro_id: Number(r.giro_id), avvisi: typeof r.avvisi === 'string' ? JSON.parse(r.avvisi) : r.avvisi }));
}

/** The comune may amend until the deadline; a first, late answer is still taken; the office always may while the round is open. */
function ammesso(giro: Giro, inviata: boolean, utente: Utente, oggi: string): string | null {
  if (giro.stato !== 'aperto') return 'Il censimento è chiuso: la dichiarazione non si può più modificare.';
  if (utente.ruolo !== 'udp' && inviata && oggi > giro.data_scadenza) return `La scadenza del ${giorno(giro.data_scadenza)} è passata: per correggere la dichiarazione scrivete all'Ufficio di Piano.`;
  return null;
}

export async function modulo(ctx: AppContext, istat: string, utente: Utente): Promise<Modulo | null> {
  const giro = await giroApertoPer(ctx, istat);
  if (!giro) return null;
  const d = await ctx.db.knex('censimento_dichiarazioni').where({ giro_id: giro.id, codice_istat: istat }).first();
  const dichiarazione = d ? ({ ...d, ...figure(d) } as Dichiarazione) : null;
  const motivo = ammesso(giro, dichiarazione?.stato === 'inviata', utente, ctx.clock.today());
  return { giro, dichiarazione, rif: await riferimenti(ctx, istat, giro.data_riferimento), invii: await storico(ctx, istat, giro.id), modificabile: !motivo, motivo };
}

export interface Esito {
  stato: 'bozza' | 'inviata';
  avvisi: Avviso[];
}

/**
 * Saves the draft (`invia` false) or submits. Validation errors throw DichiarazioneNonValida
 * (nothing saved); warnings are returned and kept with the submission.
 */
export async function salva(ctx: AppContext, istat: string, input: Record<string, unknown>, o: { invia: boolean; utente: Utente; ip?: string | null }): Promise<Esito> {
  const giro = await giroApertoPer(ctx, istat);
  if (!giro) throw new InvioNonAmmesso('Nessun censimento aperto per questo comune.');
  const prima = await ctx.db.knex('censimento_dichiarazioni').where({ giro_id: giro.id, codice_istat: istat }).first('stato');
  const motivo = ammesso(giro, prima?.stato === 'inviata', o.utente, ctx.clock.today());
  if (motivo) throw new InvioNonAmmesso(motivo);
  // A draft after a submission would leave the census row and the form disagreeing.
  if (!o.invia && prima?.stato === 'inviata') throw new InvioNonAmmesso('La dichiarazione è già stata inviata: per modificarla correggere le cifre e inviarla di nuovo.');
  const esame = esamina(input, o.invia);
  if (Object.keys(esame.errori).length) throw new DichiarazioneNonValida(esame);
  const rif = await riferimenti(ctx, istat, giro.data_riferimento);
  const av = avvisi(esame.valori, rif);
  const now = ctx.clock.now();
  const ufficio = o.utente.ruolo === 'udp';
  const stato = o.invia ? 'inviata' : 'bozza';
  await ctx.db.knex.transaction(async (trx) => {
    await trx('censimento_dichiarazioni')
      .insert({ giro_id: giro.id, codice_istat: istat, stato, ...esame.valori, note: esame.note, aggiornata_da: o.utente.email, aggiornata_il: now })
      .onConflict(['giro_id', 'codice_istat'])
      .merge();
    if (!o.invia) return;
    await trx('censimento_invii').insert({ giro_id: giro.id, codice_istat: istat, ...esame.valori, note: esame.note, origine: ufficio ? 'ufficio' : 'modulo', utente_id: o.utente.id, inviato_da: o.utente.email, inviato_il: now, avvisi: JSON.stringify(av) });
    // The census row exactly as an import makes it (server/importazione/censimento.ts): upsert by comune and E.
    await trx('censimento')
      .insert({ codice_istat: istat, data_riferimento: giro.data_riferimento, periodo_inizio: giro.periodo_inizio, ...esame.valori, note: esame.note, importazione_id: null, importato_il: now })
      .onConflict(['codice_istat', 'data_riferimento'])
      .merge();
    // The comune's deadline is met: the reminder job withdraws what it had queued and sends no more.
    const gc = await trx('censimento_giri_comuni').where({ giro_id: giro.id, codice_istat: istat }).first('scadenza_id');
    if (gc?.scadenza_id) await trx('scadenze').where({ id: gc.scadenza_id }).update({ completata_il: now, aggiornata_il: now });
  });
  await audit(ctx.db, { utente_id: o.utente.id, email: o.utente.email, ip: o.ip ?? null, azione: o.invia ? 'censimento_inviato' : 'censimento_bozza', dettagli: { giro: giro.id, codice_istat: istat, per_conto_del_comune: ufficio, avvisi: av.length } });
  if (o.invia) pianificaRiconciliazione(ctx);
  return { stato, avvisi: av };
}

/** Every census row loaded for a comune (files or online submissions), the newest reference date first. */
export async function righeCensimento(db: Database, istat: string): Promise<(Record<string, unknown> & { data_riferimento: string; importato_il: Date | null; note: string | null; importazione_id: number | null })[]> {
  return db.knex('censimento').where({ codice_istat: istat }).orderBy('data_riferimento', 'desc');
}
