import crypto from 'node:crypto';
import type { Database } from '../db';
import type { Sessione, Utente } from './tipi';

/**
 * Sessions stored in the database (table `sessioni`), so they work the same on PGlite and on
 * PostgreSQL and survive a restart or a second instance. The cookie holds only the random id.
 *
 * A session ends after IDLE_MS without requests or ABSOLUTE_MS after login, whichever comes
 * first. Times come from the injected clock (`ctx.clock.now()`), so tests can age a session.
 */
export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 12 * 3_600_000;
/** ultima_attivita is written at most once a minute per session (not on every request). */
const TOUCH_EVERY_MS = 60_000;

const token = () => crypto.randomBytes(32).toString('hex');

export async function createSession(db: Database, utenteId: number, now: Date, dati: Record<string, unknown> = {}): Promise<Sessione> {
  const s: Sessione = {
    id: token(),
    utente_id: utenteId,
    creata_il: now,
    ultima_attivita: now,
    scade_il: new Date(now.getTime() + ABSOLUTE_MS),
    csrf: token(),
    dati,
  };
  await db.knex('sessioni').insert({ ...s, dati: JSON.stringify(dati) });
  return s;
}

export function isExpired(s: Pick<Sessione, 'ultima_attivita' | 'scade_il'>, now: Date): boolean {
  return now.getTime() >= s.scade_il.getTime() || now.getTime() - s.ultima_attivita.getTime() >= IDLE_MS;
}

/**
 * The live session with its (active) account, or why there is none: 'scaduta' when the session
 * existed but timed out (the row is removed), 'assente' otherwise.
 */
export async function loadSession(db: Database, id: string, now: Date): Promise<{ sessione: Sessione; utente: Utente } | 'scaduta' | 'assente'> {
  const row = await db.knex('sessioni as s')
    .join('utenti as u', 'u.id', 's.utente_id')
    .where('s.id', id)
    .first(
      's.id', 's.utente_id', 's.creata_il', 's.ultima_attivita', 's.scade_il', 's.csrf', 's.dati',
      'u.email', 'u.ruolo', 'u.codice_istat', 'u.operatore_id', 'u.attivo', 'u.cambio_password',
    );
  if (!row) return 'assente';
  const sessione: Sessione = {
    id: row.id,
    utente_id: Number(row.utente_id),
    creata_il: new Date(row.creata_il),
    ultima_attivita: new Date(row.ultima_attivita),
    scade_il: new Date(row.scade_il),
    csrf: row.csrf,
    dati: row.dati ?? {},
  };
  if (!row.attivo || isExpired(sessione, now)) {
    await destroySession(db, id);
    return row.attivo ? 'scaduta' : 'assente';
  }
  if (now.getTime() - sessione.ultima_attivita.getTime() >= TOUCH_EVERY_MS) {
    await db.knex('sessioni').where({ id }).update({ ultima_attivita: now });
    sessione.ultima_attivita = now;
  }
  return { sessione, utente: { id: sessione.utente_id, email: row.email, ruolo: row.ruolo, codice_istat: row.codice_istat, operatore_id: row.operatore_id, ...(row.cambio_password ? { cambio_password: true } : {}) } };
}

export async function destroySession(db: Database, id: string): Promise<void> {
  await db.knex('sessioni').where({ id }).del();
}

/** Ends every session of an account (password changed, account disabled), but `keep`. */
export async function destroyUserSessions(db: Database, utenteId: number, keep?: string): Promise<void> {
  const q = db.knex('sessioni').where({ utente_id: utenteId });
  if (keep) q.whereNot({ id: keep });
  await q.del();
}

/** Removes timed-out sessions (run at each login: the table stays small without a job). */
export async function purgeExpiredSessions(db: Database, now: Date): Promise<number> {
  return db.knex('sessioni')
    .where('scade_il', '<=', now)
    .orWhere('ultima_attivita', '<=', new Date(now.getTime() - IDLE_MS))
    .del();
}
