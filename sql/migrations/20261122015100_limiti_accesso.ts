import type { Knex } from 'knex';

/**
 * Counters of the login limits and of the request limiter (server/auth/tentativi.ts,
 * server/auth/limitatore.ts), one row per key:
 * - `account:<e-mail>`: attempts on one e-mail (an account or not: the same rule for both, so
 *   the lock-out does not tell which e-mails have an account);
 * - `indirizzo:<ip>`: login attempts from one address;
 * - `richieste:<gruppo>:<ip>`: requests to one group of routes from one address.
 *
 * A row is changed by one INSERT ... ON CONFLICT DO UPDATE ... WHERE ... RETURNING, which
 * PostgreSQL runs atomically on the row: the count is checked and raised in the same
 * statement, before the password hash runs, so no burst of parallel requests can slip past it,
 * from one instance or from several on one database.
 *
 * The lock-out used to live in `utenti` (tentativi_falliti, bloccato_fino), read before the
 * hash and written after it: parallel logins all read "not locked". Those columns go.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('limiti_accesso', (t) => {
    t.text('chiave').primary();
    /** Attempts reserved in the window (for an account: in flight or failed). */
    t.integer('conteggio').notNullable();
    /** Attempts that failed in the window (accounts only). */
    t.integer('falliti').notNullable().defaultTo(0);
    /** Start of the current window. */
    t.timestamp('dal', { useTz: true }).notNullable();
    t.timestamp('bloccato_fino', { useTz: true });
  });
  await knex.schema.alterTable('utenti', (t) => {
    t.dropColumn('tentativi_falliti');
    t.dropColumn('bloccato_fino');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('utenti', (t) => {
    t.integer('tentativi_falliti').notNullable().defaultTo(0);
    t.timestamp('bloccato_fino', { useTz: true });
  });
  await knex.schema.dropTableIfExists('limiti_accesso');
}
