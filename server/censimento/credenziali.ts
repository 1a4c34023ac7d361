import type { AppContext } from '../context';
import { audit } from '../audit';
import { AccountError, Autore, findUserByEmail, normalizeEmail } from '../auth/utenti';
import { creaConInvito, impostaAttivo } from '../account/service';
import { emailValida } from '../shared/email';
import { AppError } from '../shared/errori';

/**
 * The account review ("aggiornamento credenziali", point 2 of the 2020 census letter): a comune
 * sees the accounts bound to it and confirms each one, asks for its removal, or asks for new
 * ones; the office approves or rejects the requests in one list. An approved removal disables
 * the account (its sessions end); an approved addition creates it with an invitation
 * (server/account), so the person chooses the password.
 */
export const TIPI_RICHIESTA = ['conferma', 'rimozione', 'aggiunta'] as const;
export type TipoRichiesta = (typeof TIPI_RICHIESTA)[number];
export const RUOLI_RICHIESTI: Record<string, string> = { comune: 'Comune (sindaco, responsabile, ufficio)', operatore: 'Assistente sociale' };

export class RichiestaNonValida extends AppError {
  constructor(message: string) {
    super(message, { status: 400 });
  }
}

export interface AccountComune {
  id: number;
  email: string;
  ruolo: string;
  attivo: boolean;
  ultimo_accesso: Date | null;
  /** The latest request about it: confirmed, removal asked... */
  richiesta: { tipo: TipoRichiesta; stato: string; richiesta_il: Date } | null;
}

/** Accounts of the comune: its own, and the social workers whose SIZ code belongs to it. */
export async function accountDelComune(ctx: AppContext, istat: string): Promise<AccountComune[]> {
  const rows = (
    await ctx.db.knex.raw(
      `select u.id, u.email, u.ruolo, u.attivo, u.ultimo_accesso,
              r.tipo, r.stato, r.richiesta_il
       from utenti u
       left join lateral (
         select tipo, stato, richiesta_il from credenziali_richieste q
         where q.utente_id = u.id and q.codice_istat = ? order by q.id desc limit 1
       ) r on true
       where (u.ruolo = 'comune' and u.codice_istat = ?)
          or (u.ruolo = 'operatore' and u.operatore_id in (select operatore_id from operatori where codice_istat = ?))
       order by u.ruolo, u.email`,
      [istat, istat, istat],
    )
  ).rows as Record<string, any>[];
  return rows.map((r) => ({ id: Number(r.id), email: r.email, ruolo: r.ruolo, attivo: r.attivo, ultimo_accesso: r.ultimo_accesso, richiesta: r.tipo ? { tipo: r.tipo, stato: r.stato, richiesta_il: r.richiesta_il } : null }));
}

export interface RichiestaInput {
  tipo?: unknown;
  utente_id?: unknown;
  email?: unknown;
  ruolo?: unknown;
  operatore_id?: unknown;
  nota?: unknown;
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

export async function richiedi(ctx: AppContext, istat: string, input: RichiestaInput, autore: Autore & { email: string | null }): Promise<string> {
  const tipo = str(input.tipo) as TipoRichiesta;
  if (!TIPI_RICHIESTA.includes(tipo)) throw new RichiestaNonValida('Richiesta non valida.');
  const nota = str(input.nota).slice(0, 500) || null;
  const now = ctx.clock.now();
  const base = { codice_istat: istat, tipo, nota, richiesta_da: autore.email ?? 'sconosciuto', richiesta_il: now };
  if (tipo === 'aggiunta') {
    const email = normalizeEmail(str(input.email));
    const ruolo = str(input.ruolo);
    const operatore_id = str(input.operatore_id) || null;
    if (!emailValida(email)) throw new RichiestaNonValida('Indirizzo e-mail non valido.');
    if (!(ruolo in RUOLI_RICHIESTI)) throw new RichiestaNonValida('Scegliere il profilo: comune o assistente sociale.');
    if (ruolo === 'operatore' && !operatore_id) throw new RichiestaNonValida("Per un'assistente sociale serve il codice operatore del SIZ.");
    if (await findUserByEmail(ctx.db, email)) throw new RichiestaNonValida('Esiste già un account con questo indirizzo.');
    if (await ctx.db.knex('credenziali_richieste').where({ tipo: 'aggiunta', stato: 'in_attesa', email }).first()) throw new RichiestaNonValida("È già in attesa una richiesta per questo indirizzo.");
    await ctx.db.knex('credenziali_richieste').insert({ ...base, email, ruolo, operatore_id, stato: 'in_attesa' });
    await audit(ctx.db, { ...autore, azione: 'credenziali_richiesta', dettagli: { codice_istat: istat, tipo, account: email } });
    return `Richiesta di un nuovo account per ${email} inviata all'Ufficio di Piano.`;
  }
  const id = Number(str(input.utente_id));
  const u = (await accountDelComune(ctx, istat)).find((a) => a.id === id);
  if (!u) throw new RichiestaNonValida("L'account non è tra quelli del comune.");
  if (tipo === 'rimozione') {
    if (await ctx.db.knex('credenziali_richieste').where({ tipo: 'rimozione', stato: 'in_attesa', utente_id: id }).first()) throw new RichiestaNonValida('La rimozione di questo account è già stata chiesta.');
    await ctx.db.knex('credenziali_richieste').insert({ ...base, utente_id: id, email: u.email, stato: 'in_attesa' });
    await audit(ctx.db, { ...autore, azione: 'credenziali_richiesta', dettagli: { codice_istat: istat, tipo, account: u.email } });
    return `Richiesta di rimozione di ${u.email} inviata all'Ufficio di Piano.`;
  }
  await ctx.db.knex('credenziali_richieste').insert({ ...base, utente_id: id, email: u.email, stato: 'registrata' });
  return `Account ${u.email} confermato.`;
}

export interface Richiesta {
  id: number;
  codice_istat: string;
  comune: string | null;
  tipo: TipoRichiesta;
  email: string | null;
  ruolo: string | null;
  operatore_id: string | null;
  nota: string | null;
  stato: string;
  richiesta_da: string;
  richiesta_il: Date;
}

/** What the office has to decide, oldest first; with `tutte`, the decided ones too (newest first). */
export async function richieste(ctx: AppContext, tutte = false): Promise<Richiesta[]> {
  const q = ctx.db.knex('credenziali_richieste as r').leftJoin('comuni as c', 'c.codice_istat', 'r.codice_istat').select('r.*', 'c.nome as comune');
  if (tutte) q.whereNot('r.stato', 'registrata').orderBy('r.id', 'desc').limit(200);
  else q.where('r.stato', 'in_attesa').orderBy('r.id');
  return (await q).map((r) => ({ ...r, id: Number(r.id) }));
}

/** Approves or rejects a pending request; returns the line to show, null if none was pending. */
export async function decidi(ctx: AppContext, id: number, approva: boolean, autore: Autore & { email: string | null }): Promise<string | null> {
  const r = await ctx.db.knex('credenziali_richieste').where({ id, stato: 'in_attesa' }).first();
  if (!r) return null;
  let esito: string;
  if (!approva) esito = 'Richiesta respinta.';
  else if (r.tipo === 'rimozione') {
    await impostaAttivo(ctx, Number(r.utente_id), false, autore);
    esito = `Account ${r.email} disattivato: le sue sessioni sono state chiuse.`;
  } else {
    try {
      await creaConInvito(ctx, { email: r.email, ruolo: r.ruolo, codice_istat: r.ruolo === 'comune' ? r.codice_istat : null, operatore_id: r.ruolo === 'operatore' ? r.operatore_id : null }, autore);
    } catch (e) {
      if (e instanceof AccountError) throw new RichiestaNonValida(`Account non creato: ${e.message}.`);
      throw e;
    }
    esito = `Account ${r.email} creato: invito mandato.`;
  }
  await ctx.db.knex('credenziali_richieste').where({ id }).update({ stato: approva ? 'approvata' : 'respinta', decisa_da: autore.email ?? null, decisa_il: ctx.clock.now() });
  await audit(ctx.db, { ...autore, azione: approva ? 'credenziali_approvata' : 'credenziali_respinta', dettagli: { richiesta: id, tipo: r.tipo, account: r.email } });
  return esito;
}
