import type { Knex } from 'knex';
import { ipKeyGenerator } from 'express-rate-limit';

/**
 * Counters in the `limiti_accesso` table (see its migration): the login limits per e-mail and
 * per address, and the hits of the request limiter (limitatore.ts).
 *
 * Why a reservation: the check must happen before the password hash and must count the
 * attempts still being hashed. Reading "is it locked?" and writing the failure after the hash
 * let 40 parallel logins all read "not locked" (issue 15). Here one statement checks the count
 * and raises it, on the row lock PostgreSQL takes for INSERT ... ON CONFLICT DO UPDATE: of any
 * number of parallel attempts at most `max` get through, on one instance or several.
 */

/** The key of an e-mail's attempts, whether an account has it or not (no enumeration). */
export const chiaveAccount = (email: string): string => `account:${email}`;

/**
 * The key of an address. An IPv6 client usually holds a whole /64 or more, so IPv6 addresses
 * are counted per /56 (as the request limiter does), otherwise changing address resets the count.
 */
export const chiaveIndirizzo = (ip: string): string => `indirizzo:${ipKeyGenerator(ip, 56)}`;

/**
 * Reserves one attempt on `chiave` if fewer than `max` are counted in the current window and the
 * key is not locked. Returns the attempt's number in the window, or null when refused.
 */
export async function prenota(knex: Knex, chiave: string, max: number, finestraMs: number, ora: Date): Promise<number | null> {
  const inizio = new Date(ora.getTime() - finestraMs);
  const res = await knex.raw(
    `insert into limiti_accesso as l (chiave, conteggio, falliti, dal) values (?, 1, 0, ?::timestamptz)
     on conflict (chiave) do update set
       conteggio = case when l.dal <= ?::timestamptz then 1 else l.conteggio + 1 end,
       falliti = case when l.dal <= ?::timestamptz then 0 else l.falliti end,
       dal = case when l.dal <= ?::timestamptz then excluded.dal else l.dal end
     where (l.bloccato_fino is null or l.bloccato_fino <= excluded.dal)
       and (l.dal <= ?::timestamptz or l.conteggio < ?)
     returning conteggio`,
    [chiave, ora, inizio, inizio, inizio, inizio, max],
  );
  const row = res.rows[0] as { conteggio: number } | undefined;
  return row ? Number(row.conteggio) : null;
}

/**
 * A reserved attempt failed. The `max`-th failure in the window locks the key until `ora +
 * bloccoMs` and starts the count again. Returns true for the call that locked it.
 */
export async function registraFallimento(knex: Knex, chiave: string, max: number, bloccoMs: number, ora: Date): Promise<boolean> {
  const fino = new Date(ora.getTime() + bloccoMs);
  const res = await knex.raw(
    `update limiti_accesso set
       bloccato_fino = case when falliti + 1 >= ? then ?::timestamptz else bloccato_fino end,
       conteggio = case when falliti + 1 >= ? then 0 else conteggio end,
       dal = case when falliti + 1 >= ? then ?::timestamptz else dal end,
       falliti = case when falliti + 1 >= ? then 0 else falliti + 1 end
     where chiave = ?
     returning falliti, bloccato_fino`,
    [max, fino, max, max, ora, max, chiave],
  );
  const row = res.rows[0] as { falliti: number; bloccato_fino: Date | string | null } | undefined;
  return !!row && Number(row.falliti) === 0 && row.bloccato_fino != null && new Date(row.bloccato_fino).getTime() === fino.getTime();
}

/** Forgets the attempts and the lock of a key (a right password proves who is trying). */
export async function azzera(knex: Knex, chiave: string): Promise<void> {
  await knex('limiti_accesso').where({ chiave }).del();
}

/** Gives back one reserved attempt (a successful login does not count against its address). */
export async function rilascia(knex: Knex, chiave: string): Promise<void> {
  await knex('limiti_accesso').where({ chiave }).update({ conteggio: knex.raw('greatest(conteggio - 1, 0)') });
}

/** One more hit on `chiave`, without a limit (the request limiter decides): the count and its window. */
export async function conta(knex: Knex, chiave: string, finestraMs: number, ora: Date): Promise<{ conteggio: number; dal: Date }> {
  const inizio = new Date(ora.getTime() - finestraMs);
  const res = await knex.raw(
    `insert into limiti_accesso as l (chiave, conteggio, dal) values (?, 1, ?::timestamptz)
     on conflict (chiave) do update set
       conteggio = case when l.dal <= ?::timestamptz then 1 else l.conteggio + 1 end,
       dal = case when l.dal <= ?::timestamptz then excluded.dal else l.dal end
     returning conteggio, dal`,
    [chiave, ora, inizio, inizio],
  );
  const row = res.rows[0] as { conteggio: number; dal: Date | string };
  return { conteggio: Number(row.conteggio), dal: new Date(row.dal) };
}

/** When an e-mail is locked, or null. */
export async function bloccatoFino(knex: Knex, email: string, ora: Date): Promise<Date | null> {
  const row = await knex('limiti_accesso').where({ chiave: chiaveAccount(email) }).where('bloccato_fino', '>', ora).first('bloccato_fino');
  return row ? new Date(row.bloccato_fino) : null;
}

/** Rows whose window and lock ended long ago are of no use: dropped now and then (at each login). */
export async function pulisciLimiti(knex: Knex, ora: Date): Promise<void> {
  const ieri = new Date(ora.getTime() - 24 * 3_600_000);
  await knex('limiti_accesso')
    .where('dal', '<', ieri)
    .where((q) => q.whereNull('bloccato_fino').orWhere('bloccato_fino', '<', ora))
    .del();
}
