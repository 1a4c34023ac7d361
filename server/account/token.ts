import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Database } from '../db';

/**
 * One-time links of invitations and password resets (table `utenti_token`). The link carries a
 * random 32-byte token; the database keeps only its SHA-256, so neither the table nor a backup
 * gives a usable link. A token works once, until it expires, and only for an active account; a
 * new token of the same kind replaces the earlier ones of that account.
 */
export type Scopo = 'invito' | 'reimpostazione';

export const DURATA_MS: Record<Scopo, number> = {
  invito: 7 * 24 * 3_600_000,
  reimpostazione: 60 * 60_000,
};

/** The path of the page where the person sets the password (public: see permessi.ts). */
export const PERCORSO_IMPOSTA = '/account/imposta/';

const hash = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export async function creaToken(db: Database, utenteId: number, scopo: Scopo, now: Date): Promise<{ token: string; id: number; scade_il: Date }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const scade_il = new Date(now.getTime() + DURATA_MS[scopo]);
  const id = await db.knex.transaction(async (trx) => {
    await trx('utenti_token').where({ utente_id: utenteId, scopo }).whereNull('usato_il').update({ usato_il: now });
    const [row] = await trx('utenti_token').insert({ utente_id: utenteId, scopo, hash: hash(token), creato_il: now, scade_il }).returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  });
  return { token, id, scade_il };
}

export interface TokenValido {
  id: number;
  scopo: Scopo;
  utente_id: number;
  email: string;
  ruolo: string;
  codice_istat: string | null;
}

function valido(q: Knex.QueryBuilder, now: Date): Knex.QueryBuilder {
  return q.whereNull('t.usato_il').where('t.scade_il', '>', now).where('u.attivo', true);
}

/** The account a still-valid token opens, or null (unknown, used, expired, account disabled). */
export async function leggiToken(db: Database, token: string, now: Date): Promise<TokenValido | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const row = await valido(db.knex('utenti_token as t').join('utenti as u', 'u.id', 't.utente_id').where('t.hash', hash(token)), now).first('t.id', 't.scopo', 't.utente_id', 'u.email', 'u.ruolo', 'u.codice_istat');
  return row ? { ...row, id: Number(row.id), utente_id: Number(row.utente_id) } : null;
}

/** Marks the token used, in the caller's transaction; false when someone used it first. */
export async function consumaToken(trx: Knex.Transaction, id: number, now: Date): Promise<boolean> {
  const n = await trx('utenti_token').where({ id }).whereNull('usato_il').where('scade_il', '>', now).update({ usato_il: now });
  return n === 1;
}

/** When the account last asked for a reset link (the reset form answers at most once in a while). */
export async function ultimoToken(db: Database, utenteId: number, scopo: Scopo): Promise<Date | null> {
  const r = await db.knex('utenti_token').where({ utente_id: utenteId, scopo }).max('creato_il as d').first();
  return r?.d ? new Date(r.d) : null;
}
