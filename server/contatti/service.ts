import type { AppContext } from '../context';
import { audit } from '../audit';
import type { Autore } from '../auth/utenti';
import { emailValida, separaEmail } from '../shared/email';
import { AppError } from '../shared/errori';

/**
 * The comuni's contact addresses: where the reminders and the monthly digest go (docs/promemoria.md).
 * The registry file brings one (comuni.email); the office can set another in the browser
 * (comuni.email_ufficio), which wins and stays when a new registry file arrives; clearing it goes
 * back to the registry's. A comune's own users can propose a change, which the office accepts or
 * rejects. Every change is audited.
 */
export class ContattoNonValido extends AppError {
  constructor(message: string) {
    super(message, { status: 400 });
  }
}

const MAX_INDIRIZZI = 10;

/** Normalised list `a@x.it; b@y.it` or an error in Italian; empty text = no address. */
export function validaIndirizzi(testo: string): string {
  if (testo.length > 2000) throw new ContattoNonValido('Troppo lungo: al massimo 10 indirizzi.');
  const lista = separaEmail(testo);
  const errati = lista.filter((e) => !emailValida(e));
  if (errati.length) throw new ContattoNonValido(`Indirizzo non valido: ${errati.map((e) => `"${e.slice(0, 80)}"`).join(', ')}. Separare più indirizzi con ; o ,.`);
  if (lista.length > MAX_INDIRIZZI) throw new ContattoNonValido(`Al massimo ${MAX_INDIRIZZI} indirizzi per comune.`);
  return lista.join('; ');
}

export interface Contatto {
  codice_istat: string;
  nome: string;
  email_anagrafica: string | null;
  email_ufficio: string | null;
  email_ufficio_il: Date | null;
  email_ufficio_da: string | null;
  /** Where the messages go now. */
  effettivo: string | null;
  proposte: Proposta[];
}

export interface Proposta {
  id: number;
  codice_istat: string;
  email: string;
  nota: string | null;
  proposta_da: string;
  proposta_il: Date;
  stato: 'in_attesa' | 'accettata' | 'respinta';
}

export async function elencoContatti(ctx: AppContext, istat?: string): Promise<Contatto[]> {
  const q = ctx.db.knex('comuni').where({ attivo: true }).orderBy('nome').select('codice_istat', 'nome', 'email', 'email_ufficio', 'email_ufficio_il', 'email_ufficio_da');
  if (istat) q.where({ codice_istat: istat });
  const comuni = await q;
  const pq = ctx.db.knex('contatti_proposte').where({ stato: 'in_attesa' }).orderBy('id');
  if (istat) pq.where({ codice_istat: istat });
  const proposte = ((await pq) as Proposta[]).map((p) => ({ ...p, id: Number(p.id) }));
  return comuni.map((c) => ({
    codice_istat: c.codice_istat,
    nome: c.nome,
    email_anagrafica: c.email,
    email_ufficio: c.email_ufficio,
    email_ufficio_il: c.email_ufficio_il,
    email_ufficio_da: c.email_ufficio_da,
    effettivo: c.email_ufficio ?? c.email,
    proposte: proposte.filter((p) => p.codice_istat === c.codice_istat),
  }));
}

/** The office sets (or clears, with an empty text) a comune's contacts. */
export async function impostaContatti(ctx: AppContext, istat: string, testo: string, autore: Autore): Promise<void> {
  const email = testo.trim() ? validaIndirizzi(testo) : null;
  const c = await ctx.db.knex('comuni').where({ codice_istat: istat }).first('email', 'email_ufficio');
  if (!c) throw new ContattoNonValido('Comune sconosciuto.');
  await ctx.db.knex('comuni').where({ codice_istat: istat }).update({ email_ufficio: email, email_ufficio_il: email ? ctx.clock.now() : null, email_ufficio_da: email ? autore.email ?? null : null });
  await audit(ctx.db, { ...autore, azione: 'contatti_modificati', dettagli: { codice_istat: istat, prima: c.email_ufficio ?? c.email, dopo: email ?? c.email } });
}

/** A comune's user proposes new contacts for their own comune. */
export async function proponiContatti(ctx: AppContext, istat: string, testo: string, nota: string, autore: Autore): Promise<void> {
  if (!testo.trim()) throw new ContattoNonValido('Indicare almeno un indirizzo.');
  const email = validaIndirizzi(testo);
  await ctx.db.knex('contatti_proposte').insert({ codice_istat: istat, email, nota: nota.trim().slice(0, 500) || null, proposta_da: autore.email ?? 'sconosciuto', proposta_il: ctx.clock.now() });
  await audit(ctx.db, { ...autore, azione: 'contatti_proposti', dettagli: { codice_istat: istat, email } });
}

/** The office accepts (the proposal becomes the contacts) or rejects a proposal. */
export async function decidiProposta(ctx: AppContext, id: number, accetta: boolean, autore: Autore): Promise<Proposta | null> {
  const p = await ctx.db.knex.transaction(async (trx) => {
    const [row] = (await trx('contatti_proposte').where({ id, stato: 'in_attesa' }).update({ stato: accetta ? 'accettata' : 'respinta', decisa_da: autore.email ?? null, decisa_il: ctx.clock.now() }).returning('*')) as Proposta[];
    if (row && accetta) await trx('comuni').where({ codice_istat: row.codice_istat }).update({ email_ufficio: row.email, email_ufficio_il: ctx.clock.now(), email_ufficio_da: autore.email ?? null });
    return row ?? null;
  });
  if (p) await audit(ctx.db, { ...autore, azione: accetta ? 'contatti_proposta_accettata' : 'contatti_proposta_respinta', dettagli: { codice_istat: p.codice_istat, email: p.email, proposta_da: p.proposta_da } });
  return p;
}
