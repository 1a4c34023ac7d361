import type { Knex } from 'knex';

/**
 * Accounts, database sessions, the audit log and the job run log (issue 5).
 *
 * - `utenti`: one account per person; the e-mail is unique ignoring case (unique index on
 *   lower(email)); a `comune` account is bound to one codice_istat, an `operatore` account to one
 *   operatore_id of the SIZ extract (checked by constraints, so no account can exist half-bound).
 *   `password_hash` holds the scrypt parameters and salt with the hash (server/auth/password.ts).
 * - `sessioni`: the server side of the session cookie (random 32-byte id); expired rows are
 *   purged at every login.
 * - `audit`: who did what, when and from where. The per-IP login limit counts its failed logins,
 *   hence the (azione, ip, quando) index.
 * - `job_esecuzioni`: one row per job run, also the skipped ones.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('utenti', (t) => {
    t.increments('id');
    t.text('email').notNullable();
    t.text('ruolo').notNullable();
    t.text('codice_istat');
    t.text('operatore_id');
    t.text('password_hash').notNullable();
    t.boolean('attivo').notNullable().defaultTo(true);
    t.timestamp('creato_il', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('ultimo_accesso', { useTz: true });
    t.timestamp('password_cambiata_il', { useTz: true });
    t.integer('tentativi_falliti').notNullable().defaultTo(0);
    t.timestamp('bloccato_fino', { useTz: true });
  });
  await knex.raw('create unique index utenti_email_unica on utenti (lower(email))');
  await knex.raw(`alter table utenti add constraint utenti_ruolo_valido check (
    (ruolo = 'udp' and codice_istat is null and operatore_id is null)
    or (ruolo = 'comune' and codice_istat is not null and operatore_id is null)
    or (ruolo = 'operatore' and operatore_id is not null and codice_istat is null))`);

  await knex.schema.createTable('sessioni', (t) => {
    t.text('id').primary();
    t.integer('utente_id').notNullable().references('id').inTable('utenti').onDelete('CASCADE');
    t.timestamp('creata_il', { useTz: true }).notNullable();
    t.timestamp('ultima_attivita', { useTz: true }).notNullable();
    t.timestamp('scade_il', { useTz: true }).notNullable();
    t.text('csrf').notNullable();
    t.jsonb('dati').notNullable().defaultTo('{}');
    t.index(['utente_id']);
  });

  await knex.schema.createTable('audit', (t) => {
    t.bigIncrements('id');
    t.timestamp('quando', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('utente_id').references('id').inTable('utenti').onDelete('SET NULL');
    t.text('email');
    t.text('azione').notNullable();
    t.jsonb('dettagli');
    t.text('ip');
    t.index(['quando']);
    t.index(['azione', 'quando']);
    t.index(['azione', 'ip', 'quando']);
  });

  await knex.schema.createTable('job_esecuzioni', (t) => {
    t.increments('id');
    t.text('job').notNullable();
    t.timestamp('avviato_il', { useTz: true }).notNullable();
    t.timestamp('concluso_il', { useTz: true });
    t.text('esito').notNullable();
    t.jsonb('conteggi');
    t.text('messaggio');
    t.text('errore');
    t.text('istanza').notNullable();
    t.text('origine');
    t.date('oggi');
    t.index(['job', 'avviato_il']);
    t.index(['esito']);
  });
  await knex.raw(`alter table job_esecuzioni add constraint job_esecuzioni_esito_valido check (esito in ('in_corso', 'ok', 'fallito', 'saltato'))`);
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['job_esecuzioni', 'audit', 'sessioni', 'utenti']) await knex.schema.dropTableIfExists(t);
}
