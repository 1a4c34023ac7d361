import type { AppContext } from '../context';
import { audit } from '../audit';
import { dummyHash, hashPassword, needsRehash, passwordProblem, verifyPassword } from './password';
import { createSession, destroySession, destroyUserSessions, purgeExpiredSessions } from './sessioni';
import { findUserByEmail, normalizeEmail } from './utenti';
import type { Sessione, Utente } from './types';

/**
 * Login, logout and password change: the use cases behind /login, /logout and /password.
 *
 * Brute force is slowed twice: an account is locked for BLOCCO_MS after MAX_TENTATIVI wrong
 * passwords in a row, and one address may fail IP_MAX times in IP_FINESTRA_MS (counted on the
 * audit log, so the limit holds across instances and restarts). Every failure gets the same
 * message and runs scrypt once, whether the account exists or not.
 */
export const MAX_TENTATIVI = 5;
export const BLOCCO_MS = 15 * 60_000;
export const IP_MAX = 20;
export const IP_FINESTRA_MS = 15 * 60_000;

export const MSG_CREDENZIALI = 'Credenziali non valide.';
export const MSG_TROPPI_IP = 'Troppi tentativi di accesso da questo indirizzo: riprovare tra qualche minuto.';

export type LoginResult =
  | { ok: true; utente: Utente; sessione: Sessione }
  | { ok: false; motivo: 'credenziali' | 'troppi_tentativi_ip'; messaggio: string };

export async function login(ctx: AppContext, input: { email: string; password: string; ip: string | null }): Promise<LoginResult> {
  const db = ctx.db;
  const now = ctx.clock.now();
  const email = normalizeEmail(input.email).slice(0, 254);

  if (input.ip) {
    const [{ n }] = await db.knex('audit')
      .where({ azione: 'login_fallito', ip: input.ip })
      .where('quando', '>', new Date(now.getTime() - IP_FINESTRA_MS))
      .count('* as n');
    if (Number(n) >= IP_MAX) {
      await audit(db, { azione: 'login_fallito', email, ip: input.ip, quando: now, dettagli: { motivo: 'limite_indirizzo' } });
      return { ok: false, motivo: 'troppi_tentativi_ip', messaggio: MSG_TROPPI_IP };
    }
  }

  const u = email ? await findUserByEmail(db, email) : undefined;
  // Always one scrypt, also for an unknown e-mail: same work, same timing class.
  const match = await verifyPassword(input.password, u ? u.password_hash : await dummyHash());
  const locked = u?.bloccato_fino != null && new Date(u.bloccato_fino).getTime() > now.getTime();

  if (!u || !u.attivo || locked || !match) {
    const motivo = !u ? 'account_sconosciuto' : !u.attivo ? 'account_disattivato' : locked ? 'account_bloccato' : 'password_errata';
    await audit(db, { azione: 'login_fallito', utente_id: u?.id ?? null, email, ip: input.ip, quando: now, dettagli: { motivo } });
    if (u && u.attivo && !locked) await countFailure(ctx, u.id, email, input.ip, now);
    return { ok: false, motivo: 'credenziali', messaggio: MSG_CREDENZIALI };
  }

  const changes: Record<string, unknown> = { tentativi_falliti: 0, bloccato_fino: null, ultimo_accesso: now };
  if (needsRehash(u.password_hash)) changes.password_hash = await hashPassword(input.password);
  await db.knex('utenti').where({ id: u.id }).update(changes);
  await purgeExpiredSessions(db, now);
  const sessione = await createSession(db, u.id, now);
  const utente: Utente = { id: u.id, email: u.email, ruolo: u.ruolo, codice_istat: u.codice_istat, operatore_id: u.operatore_id };
  await audit(db, { azione: 'login', utente_id: u.id, email: u.email, ip: input.ip, quando: now });
  return { ok: true, utente, sessione };
}

/** One more wrong password; the MAX_TENTATIVI-th locks the account (one statement: no race). */
async function countFailure(ctx: AppContext, id: number, email: string, ip: string | null, now: Date): Promise<void> {
  const until = new Date(now.getTime() + BLOCCO_MS);
  const rows = await ctx.db.knex.raw(
    `update utenti set
       tentativi_falliti = case when tentativi_falliti + 1 >= ? then 0 else tentativi_falliti + 1 end,
       bloccato_fino = case when tentativi_falliti + 1 >= ? then ?::timestamptz else bloccato_fino end
     where id = ? returning bloccato_fino`,
    [MAX_TENTATIVI, MAX_TENTATIVI, until, id],
  );
  const b = rows.rows[0]?.bloccato_fino;
  if (b && new Date(b).getTime() === until.getTime()) {
    await audit(ctx.db, { azione: 'utente_bloccato', utente_id: id, email, ip, quando: now, dettagli: { fino: until.toISOString(), tentativi: MAX_TENTATIVI } });
  }
}

export async function logout(ctx: AppContext, s: { sessione: Sessione; utente: Utente; ip: string | null }): Promise<void> {
  await destroySession(ctx.db, s.sessione.id);
  await audit(ctx.db, { azione: 'logout', utente_id: s.utente.id, email: s.utente.email, ip: s.ip, quando: ctx.clock.now() });
}

export type PasswordChange = { ok: true; sessione: Sessione } | { ok: false; errore: string };

/**
 * Changes the signed-in account's password. Every other session of the account ends, and the
 * current one is replaced by a new id (a stolen cookie stops working).
 */
export async function changePassword(
  ctx: AppContext,
  s: { sessione: Sessione; utente: Utente; ip: string | null },
  input: { attuale: string; nuova: string; conferma: string },
): Promise<PasswordChange> {
  const db = ctx.db;
  const u = await db.knex('utenti').where({ id: s.utente.id }).first('password_hash');
  if (!u || !(await verifyPassword(input.attuale, u.password_hash))) return { ok: false, errore: 'La password attuale non è corretta.' };
  if (input.nuova !== input.conferma) return { ok: false, errore: 'Le due copie della nuova password non coincidono.' };
  if (input.nuova === input.attuale) return { ok: false, errore: 'La nuova password deve essere diversa da quella attuale.' };
  const problem = passwordProblem(input.nuova, s.utente.email);
  if (problem) return { ok: false, errore: problem };
  const now = ctx.clock.now();
  await db.knex('utenti').where({ id: s.utente.id }).update({ password_hash: await hashPassword(input.nuova), password_cambiata_il: now, cambio_password: false });
  await destroyUserSessions(db, s.utente.id);
  const sessione = await createSession(db, s.utente.id, now);
  await audit(db, { azione: 'password_cambiata', utente_id: s.utente.id, email: s.utente.email, ip: s.ip, quando: now });
  return { ok: true, sessione };
}
