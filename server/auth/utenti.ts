import crypto from 'node:crypto';
import type { Database } from '../db';
import { audit } from '../audit';
import { hashPassword, passwordProblem, randomPassword } from './password';
import { RUOLI, Ruolo, Utente } from './tipi';
import { emailValida } from '../shared/email';
import { AppError } from '../shared/errori';

/** Account management: used by `cruscotto user ...`, the demo and (later) an admin page. */

export class AccountError extends AppError {
  constructor(message: string) {
    super(message, { status: 400 });
  }
}

export interface UtenteRow extends Utente {
  attivo: boolean;
  creato_il: Date;
  ultimo_accesso: Date | null;
  /** Until when the account's e-mail is locked after too many wrong passwords (server/auth/tentativi.ts). */
  bloccato_fino: Date | null;
}


export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface NewAccount {
  email: string;
  ruolo: string;
  codice_istat?: string | null;
  operatore_id?: string | null;
  /**
   * Given = checked against the password rules; absent = a random one-time password; null = no
   * password at all until the person chooses one through an invitation (server/account).
   */
  password?: string | null;
  /** The person must choose a new password at the first login (a one-time password handed over). */
  cambioPassword?: boolean;
}

/** Who asked for the change, for the audit log (a command: `{ email: 'cli' }`). */
export interface Autore {
  utente_id?: number | null;
  email?: string | null;
  ip?: string | null;
}

/**
 * Creates an account. Returns it with the password to hand over (the given one or a generated
 * one-time password) and the warnings worth showing (e.g. an operatore not in the SIZ extract yet).
 */
export async function createUser(db: Database, a: NewAccount, autore: Autore = {}): Promise<{ utente: Utente; password: string | null; avvisi: string[] }> {
  const email = normalizeEmail(a.email);
  if (!emailValida(email)) throw new AccountError(`indirizzo e-mail non valido: "${a.email}"`);
  if (!(RUOLI as readonly string[]).includes(a.ruolo)) throw new AccountError(`ruolo non valido: "${a.ruolo}" (udp, comune o operatore)`);
  const ruolo = a.ruolo as Ruolo;
  const avvisi: string[] = [];
  const codice_istat = ruolo === 'comune' ? a.codice_istat ?? null : null;
  const operatore_id = ruolo === 'operatore' ? a.operatore_id?.trim() || null : null;
  if (ruolo === 'comune') {
    if (!codice_istat) throw new AccountError('un account "comune" richiede --comune ISTAT');
    if (!(await db.knex('comuni').where({ codice_istat }).first())) throw new AccountError(`il comune ${codice_istat} non è nell'anagrafica dei comuni (importare prima comuni.csv)`);
  } else if (a.codice_istat) throw new AccountError('--comune vale solo per il ruolo "comune"');
  if (ruolo === 'operatore') {
    if (!operatore_id) throw new AccountError('un account "operatore" richiede --operatore ID');
    if (!(await db.knex('operatori').where({ operatore_id }).first())) avvisi.push(`l'operatore ${operatore_id} non è (ancora) nell'estrazione SIZ: vedrà le notifiche quando comparirà`);
  } else if (a.operatore_id) throw new AccountError('--operatore vale solo per il ruolo "operatore"');

  let password = a.password;
  if (password != null) {
    const problem = passwordProblem(password, email);
    if (problem) throw new AccountError(problem);
  } else if (password === undefined) password = randomPassword();

  if (await db.knex('utenti').whereRaw('lower(email) = ?', [email]).first()) throw new AccountError(`esiste già un account con e-mail ${email}`);
  // No password: a value no password can match (verifyPassword refuses what is not a scrypt hash).
  const password_hash = password === null ? `invito$${crypto.randomBytes(16).toString('hex')}` : await hashPassword(password);
  let row: { id: number };
  try {
    [row] = await db.knex('utenti').insert({ email, ruolo, codice_istat, operatore_id, password_hash, cambio_password: a.cambioPassword === true }).returning(['id']);
  } catch (e) {
    // Two creations of the same e-mail at once: the unique index decides.
    if ((e as { code?: string }).code === '23505') throw new AccountError(`esiste già un account con e-mail ${email}`);
    throw e;
  }
  const utente: Utente = { id: Number(row.id), email, ruolo, codice_istat, operatore_id };
  await audit(db, { ...autore, azione: 'utente_creato', dettagli: { account: email, ruolo, codice_istat, operatore_id } });
  return { utente, password, avvisi };
}

/** Disables an account and ends its sessions at once. */
export async function disableUser(db: Database, email: string, autore: Autore = {}): Promise<void> {
  const e = normalizeEmail(email);
  const u = await db.knex('utenti').whereRaw('lower(email) = ?', [e]).first();
  if (!u) throw new AccountError(`nessun account con e-mail ${e}`);
  await db.knex('utenti').where({ id: u.id }).update({ attivo: false });
  await db.knex('sessioni').where({ utente_id: u.id }).del();
  await audit(db, { ...autore, azione: 'utente_disattivato', dettagli: { account: e, era_attivo: u.attivo } });
}

export async function listUsers(db: Database): Promise<UtenteRow[]> {
  return db.knex('utenti as u')
    .leftJoin('limiti_accesso as l', (j) => j.on(db.knex.raw(`l.chiave = 'account:' || lower(u.email)`)))
    .select('u.id', 'u.email', 'u.ruolo', 'u.codice_istat', 'u.operatore_id', 'u.attivo', 'u.creato_il', 'u.ultimo_accesso', 'l.bloccato_fino')
    .orderBy('u.email');
}

/** The addresses of the active UdP accounts, oldest account first (none before the accounts' migration). */
export async function emailUdpAttivi(db: Database): Promise<string[]> {
  const has = (await db.knex.raw(`select to_regclass('utenti') is not null as c`)).rows[0].c as boolean;
  const rows = has ? await db.knex('utenti').where({ ruolo: 'udp', attivo: true }).orderBy('id').select('email') : [];
  return rows.map((r: { email: string }) => r.email);
}

export async function findUserByEmail(db: Database, email: string): Promise<(Omit<UtenteRow, 'bloccato_fino'> & { password_hash: string }) | undefined> {
  return db.knex('utenti').whereRaw('lower(email) = ?', [normalizeEmail(email)]).first();
}
