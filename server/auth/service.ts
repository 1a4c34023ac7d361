import type { AppContext } from '../context';
import { audit } from '../audit';
import { dummyHash, hashPassword, needsRehash, passwordProblem, verifyPassword } from './password';
import { createSession, destroySession, destroyUserSessions, purgeExpiredSessions } from './sessioni';
import { findUserByEmail, normalizeEmail } from './utenti';
import { azzera, chiaveAccount, chiaveIndirizzo, prenota, pulisciLimiti, registraFallimento, rilascia } from './tentativi';
import type { Sessione, Utente } from './tipi';

/**
 * Login, logout and password change: the use cases behind /login, /logout and /password.
 *
 * Brute force is slowed twice, and both limits are checked and raised in the database BEFORE the
 * password hash runs (tentativi.ts), so no number of parallel requests gets past them:
 * - an e-mail (an account or not, so the lock-out tells nothing about which e-mails exist)
 *   takes at most MAX_TENTATIVI attempts in FINESTRA_MS, counting those still being checked;
 *   the MAX_TENTATIVI-th failure locks it for BLOCCO_MS; a right password clears the count;
 * - an address takes at most IP_MAX attempts in IP_FINESTRA_MS; a successful login gives its
 *   attempt back.
 * Every refusal because of the account gets the same message as a wrong password.
 */
export const MAX_TENTATIVI = 5;
export const FINESTRA_MS = 15 * 60_000;
export const BLOCCO_MS = 15 * 60_000;
export const IP_MAX = 20;
export const IP_FINESTRA_MS = 15 * 60_000;

export const MSG_CREDENZIALI = 'Credenziali non valide.';
export const MSG_TROPPI_IP = 'Troppi tentativi di accesso da questo indirizzo: riprovare tra qualche minuto.';
export const MSG_TROPPI_PASSWORD = 'Troppi tentativi con una password sbagliata: riprovare tra qualche minuto.';

export type LoginResult =
  | { ok: true; utente: Utente; sessione: Sessione }
  | { ok: false; motivo: 'credenziali' | 'troppi_tentativi_ip'; messaggio: string };

export async function login(ctx: AppContext, input: { email: string; password: string; ip: string | null }): Promise<LoginResult> {
  const db = ctx.db;
  const now = ctx.clock.now();
  const email = normalizeEmail(input.email).slice(0, 254);
  const fallito = (motivo: string, utente_id: number | null = null) =>
    audit(db, { azione: 'login_fallito', utente_id, email, ip: input.ip, quando: now, dettagli: { motivo } });

  const indirizzo = input.ip ? chiaveIndirizzo(input.ip) : null;
  if (indirizzo && (await prenota(db.knex, indirizzo, IP_MAX, IP_FINESTRA_MS, now)) === null) {
    await fallito('limite_indirizzo');
    return { ok: false, motivo: 'troppi_tentativi_ip', messaggio: MSG_TROPPI_IP };
  }
  const account = chiaveAccount(email);
  if ((await prenota(db.knex, account, MAX_TENTATIVI, FINESTRA_MS, now)) === null) {
    // Locked, or MAX_TENTATIVI attempts already counted (some may still be hashing): no hash.
    await fallito('account_bloccato', (await findUserByEmail(db, email))?.id ?? null);
    return { ok: false, motivo: 'credenziali', messaggio: MSG_CREDENZIALI };
  }

  const u = email ? await findUserByEmail(db, email) : undefined;
  // Always one scrypt, also for an unknown e-mail: same work, same timing class.
  const match = await verifyPassword(input.password, u ? u.password_hash : await dummyHash());

  if (!u || !u.attivo || !match) {
    const motivo = !u ? 'account_sconosciuto' : !u.attivo ? 'account_disattivato' : 'password_errata';
    await fallito(motivo, u?.id ?? null);
    if ((await registraFallimento(db.knex, account, MAX_TENTATIVI, BLOCCO_MS, now)) && u) {
      await audit(db, { azione: 'utente_bloccato', utente_id: u.id, email, ip: input.ip, quando: now, dettagli: { fino: new Date(now.getTime() + BLOCCO_MS).toISOString(), tentativi: MAX_TENTATIVI } });
    }
    return { ok: false, motivo: 'credenziali', messaggio: MSG_CREDENZIALI };
  }

  await azzera(db.knex, account);
  if (indirizzo) await rilascia(db.knex, indirizzo);
  const changes: Record<string, unknown> = { ultimo_accesso: now };
  if (needsRehash(u.password_hash)) changes.password_hash = await hashPassword(input.password);
  await db.knex('utenti').where({ id: u.id }).update(changes);
  await purgeExpiredSessions(db, now);
  await pulisciLimiti(db.knex, now);
  const sessione = await createSession(db, u.id, now);
  const utente: Utente = { id: u.id, email: u.email, ruolo: u.ruolo, codice_istat: u.codice_istat, operatore_id: u.operatore_id };
  await audit(db, { azione: 'login', utente_id: u.id, email: u.email, ip: input.ip, quando: now });
  return { ok: true, utente, sessione };
}

/**
 * A new password for an account, set from outside a session (the password-reset routes):
 * the lock-out and the count of failed attempts of its e-mail are cleared with it.
 */
export async function sbloccaAccount(ctx: AppContext, email: string): Promise<void> {
  await azzera(ctx.db.knex, chiaveAccount(normalizeEmail(email)));
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
  const now = ctx.clock.now();
  // The current password is a guess like a login's: it draws on the same count (a stolen
  // session must not become a way to try passwords without limit).
  const account = chiaveAccount(normalizeEmail(s.utente.email));
  if ((await prenota(db.knex, account, MAX_TENTATIVI, FINESTRA_MS, now)) === null) return { ok: false, errore: MSG_TROPPI_PASSWORD };
  const u = await db.knex('utenti').where({ id: s.utente.id }).first('password_hash');
  if (!u || !(await verifyPassword(input.attuale, u.password_hash))) {
    if (await registraFallimento(db.knex, account, MAX_TENTATIVI, BLOCCO_MS, now)) {
      await audit(db, { azione: 'utente_bloccato', utente_id: s.utente.id, email: s.utente.email, ip: s.ip, quando: now, dettagli: { fino: new Date(now.getTime() + BLOCCO_MS).toISOString(), tentativi: MAX_TENTATIVI, da: 'password' } });
    }
    return { ok: false, errore: 'La password attuale non è corretta.' };
  }
  await azzera(db.knex, account);
  if (input.nuova !== input.conferma) return { ok: false, errore: 'Le due copie della nuova password non coincidono.' };
  if (input.nuova === input.attuale) return { ok: false, errore: 'La nuova password deve essere diversa da quella attuale.' };
  const problem = passwordProblem(input.nuova, s.utente.email);
  if (problem) return { ok: false, errore: problem };
  await db.knex('utenti').where({ id: s.utente.id }).update({ password_hash: await hashPassword(input.nuova), password_cambiata_il: now, cambio_password: false });
  await destroyUserSessions(db, s.utente.id);
  const sessione = await createSession(db, s.utente.id, now);
  await audit(db, { azione: 'password_cambiata', utente_id: s.utente.id, email: s.utente.email, ip: s.ip, quando: now });
  return { ok: true, sessione };
}
