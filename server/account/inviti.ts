import type { AppContext } from '../context';
import { audit } from '../audit';
import { dataOra } from '../shared/formato';
import { enqueue, deliverPending } from '../posta/outbox';
import { renderEmail } from '../posta/render';
import { hashPassword, passwordProblem } from '../auth/password';
import { createSession } from '../auth/sessioni';
import { findUserByEmail, normalizeEmail } from '../auth/utenti';
import { azzera, chiaveAccount } from '../auth/tentativi';
import type { Sessione, Utente } from '../auth/tipi';
import { consumaToken, creaToken, leggiToken, PERCORSO_IMPOSTA, Scopo, ultimoToken } from './token';

/**
 * Invitations and password resets by e-mail (docs/ruoli.md, "Account"). The office never
 * chooses a password and no password ever travels by e-mail: the message carries a one-time,
 * expiring link (token.ts) where the person chooses their own. Messages go through the outbox
 * like every other (sent at once when SMTP_URL is set, retried otherwise; the link is hidden on
 * /posta).
 */
const PROFILI: Record<string, string> = { udp: 'Ufficio di Piano', comune: 'comune', operatore: 'assistente sociale' };

// Deliveries started here and not finished yet, per context (tests wait for them).
const consegne = new WeakMap<AppContext, Promise<unknown>>();

/** Starts sending the outbox now, in the background (the census invitations use it too). */
export function consegnaSubito(ctx: AppContext): void {
  const prima = consegne.get(ctx) ?? Promise.resolve();
  const p = prima.then(() => deliverPending(ctx)).catch((e) => ctx.log.warn({ err: e }, 'invio della posta non riuscito: riprova il job posta'));
  consegne.set(ctx, p);
}

/** Waits for the deliveries started by invitations and resets (tests). */
export async function attendiConsegne(ctx: AppContext): Promise<void> {
  await consegne.get(ctx);
}

/** Sends an invitation (or a reset link) to the account: a new token replaces earlier ones. */
export async function mandaLink(ctx: AppContext, u: { id: number; email: string; ruolo: string; codice_istat: string | null }, scopo: Scopo, autore: { utente_id?: number | null; email?: string | null; ip?: string | null } = {}): Promise<void> {
  const now = ctx.clock.now();
  const t = await creaToken(ctx.db, u.id, scopo, now);
  let profilo = PROFILI[u.ruolo] ?? u.ruolo;
  if (u.ruolo === 'comune' && u.codice_istat) {
    const c = await ctx.db.knex('comuni').where({ codice_istat: u.codice_istat }).first('nome');
    if (c) profilo = `Comune di ${c.nome}`;
  }
  const oggetto = scopo === 'invito' ? 'Il tuo account del Cruscotto Digitalizzazione' : 'Nuova password per il Cruscotto Digitalizzazione';
  const email = renderEmail(scopo, { oggetto, link: `${ctx.config.baseUrl}${PERCORSO_IMPOSTA}${t.token}`, scade: dataOra(t.scade_il, ctx.config.tzScheduler), profilo });
  await enqueue(ctx.db.knex, [{ tipo: scopo, chiave: `${scopo}:${t.id}`, destinatario: u.email, oggetto, testo: email.testo, html: email.html, codice_istat: u.codice_istat, riferimento: scopo === 'invito' ? 'invito' : 'reimpostazione password' }]);
  await audit(ctx.db, { ...autore, azione: scopo === 'invito' ? 'invito_inviato' : 'reimpostazione_richiesta', dettagli: { account: u.email } });
  consegnaSubito(ctx);
}

/** Between two reset e-mails to the same account: the form cannot be used to flood a mailbox. */
export const INTERVALLO_REIMPOSTAZIONE_MS = 2 * 60_000;

/**
 * "Password dimenticata": the answer is the same whether the address exists or not, and takes
 * the same time: the work is done after the answer, in the background.
 */
export function chiediReimpostazione(ctx: AppContext, email: string, ip: string | null): void {
  const lavoro = async () => {
    const u = email ? await findUserByEmail(ctx.db, email.slice(0, 254)) : undefined;
    if (!u || !u.attivo) {
      await audit(ctx.db, { azione: 'reimpostazione_richiesta', email: email.slice(0, 254), ip, dettagli: { esito: u ? 'account_disattivato' : 'account_sconosciuto' } });
      return;
    }
    const ultimo = await ultimoToken(ctx.db, u.id, 'reimpostazione');
    if (ultimo && ctx.clock.now().getTime() - ultimo.getTime() < INTERVALLO_REIMPOSTAZIONE_MS) return;
    await mandaLink(ctx, u, 'reimpostazione', { utente_id: u.id, email: u.email, ip });
  };
  const prima = consegne.get(ctx) ?? Promise.resolve();
  consegne.set(ctx, prima.then(lavoro).catch((e) => ctx.log.error({ err: e }, 'reimpostazione della password non riuscita')));
}

export type Impostazione = { ok: true; utente: Utente; sessione: Sessione; scopo: Scopo } | { ok: false; errore: string; scaduto?: boolean };

export const MSG_LINK_NON_VALIDO = 'Il link non è valido: è già stato usato, è scaduto o l\'account è stato disattivato. Chiedi un nuovo invito all\'Ufficio di Piano, oppure una nuova password dalla pagina di accesso.';

/**
 * The person chooses the password through the link: the token is spent, every session of the
 * account is ended, and a new one is opened (the person is signed in).
 */
export async function impostaPassword(ctx: AppContext, token: string, input: { nuova: string; conferma: string }, ip: string | null): Promise<Impostazione> {
  const now = ctx.clock.now();
  const t = await leggiToken(ctx.db, token, now);
  if (!t) return { ok: false, errore: MSG_LINK_NON_VALIDO, scaduto: true };
  if (input.nuova !== input.conferma) return { ok: false, errore: 'Le due copie della password non coincidono.' };
  const problema = passwordProblem(input.nuova, t.email);
  if (problema) return { ok: false, errore: problema };
  const password_hash = await hashPassword(input.nuova);
  const ok = await ctx.db.knex.transaction(async (trx) => {
    if (!(await consumaToken(trx, t.id, now))) return false;
    await trx('utenti').where({ id: t.utente_id }).update({ password_hash, password_cambiata_il: now, cambio_password: false });
    await trx('sessioni').where({ utente_id: t.utente_id }).del();
    // The person proved they own the address: a lock-out after wrong passwords ends too.
    await azzera(trx, chiaveAccount(normalizeEmail(t.email)));
    return true;
  });
  if (!ok) return { ok: false, errore: MSG_LINK_NON_VALIDO, scaduto: true };
  const sessione = await createSession(ctx.db, t.utente_id, now);
  await ctx.db.knex('utenti').where({ id: t.utente_id }).update({ ultimo_accesso: now });
  await audit(ctx.db, { azione: t.scopo === 'invito' ? 'invito_accettato' : 'password_reimpostata', utente_id: t.utente_id, email: t.email, ip, quando: now });
  const u = await ctx.db.knex('utenti').where({ id: t.utente_id }).first('id', 'email', 'ruolo', 'codice_istat', 'operatore_id');
  return { ok: true, scopo: t.scopo, sessione, utente: { id: Number(u.id), email: u.email, ruolo: u.ruolo, codice_istat: u.codice_istat, operatore_id: u.operatore_id } };
}

/** Where a person lands after choosing the password: a comune's account on its own page. */
export function paginaIniziale(u: Utente): string {
  return u.ruolo === 'comune' && u.codice_istat ? `/comuni/${u.codice_istat}` : u.ruolo === 'operatore' ? '/notifiche' : '/';
}
