import type { Knex } from 'knex';

/**
 * The office runs the service from the browser (issue 16).
 *
 * - `caricamenti`: one upload of the upload pages, from its arrival to its import: the files
 *   kept in DATA_DIR/caricamenti/<id>/, the dry run's preview or problems, and the import it
 *   became. `stato`: verifica (dry run queued or running) -> verificato | rifiutato;
 *   verificato -> caricamento -> caricato | rifiutato | errore; or annullato.
 * - `utenti_token`: the one-time links of invitations and password resets. Only a SHA-256 of
 *   the token is kept, so reading the table (or a backup) gives no usable link.
 * - `utenti.cambio_password`: the account must choose a new password before anything else
 *   (an account created from the command line with a one-time password).
 * - `comuni.email_ufficio`: the contact address set by the office, which wins over the one of
 *   the comuni registry (a new registry file does not undo it); `contatti_proposte`: changes
 *   proposed by a comune's own users, which the office accepts or rejects.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('caricamenti', (t) => {
    t.increments('id');
    t.text('tipo').notNullable();
    t.text('stato').notNullable();
    t.integer('utente_id').references('id').inTable('utenti').onDelete('SET NULL');
    t.text('email');
    t.text('cartella').notNullable();
    t.jsonb('file').notNullable().defaultTo('[]');
    t.date('data');
    t.jsonb('anteprima');
    t.jsonb('errori');
    t.integer('totale_errori');
    t.jsonb('avvisi');
    t.text('messaggio');
    t.integer('importazione_id');
    t.text('istanza');
    t.timestamp('creato_il', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('aggiornato_il', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['creato_il']);
  });
  await knex.raw(`alter table caricamenti add constraint caricamenti_stato_valido check (stato in ('verifica', 'verificato', 'rifiutato', 'caricamento', 'caricato', 'errore', 'annullato'))`);

  await knex.schema.createTable('utenti_token', (t) => {
    t.increments('id');
    t.integer('utente_id').notNullable().references('id').inTable('utenti').onDelete('CASCADE');
    t.text('scopo').notNullable(); // invito | reimpostazione
    t.text('hash').notNullable().unique();
    t.timestamp('creato_il', { useTz: true }).notNullable();
    t.timestamp('scade_il', { useTz: true }).notNullable();
    t.timestamp('usato_il', { useTz: true });
    t.index(['utente_id']);
  });
  await knex.schema.alterTable('utenti', (t) => {
    t.boolean('cambio_password').notNullable().defaultTo(false);
  });

  await knex.schema.alterTable('comuni', (t) => {
    t.text('email_ufficio');
    t.timestamp('email_ufficio_il', { useTz: true });
    t.text('email_ufficio_da');
  });
  await knex.schema.createTable('contatti_proposte', (t) => {
    t.increments('id');
    t.text('codice_istat').notNullable();
    t.text('email').notNullable();
    t.text('nota');
    t.text('proposta_da').notNullable();
    t.timestamp('proposta_il', { useTz: true }).notNullable();
    t.text('stato').notNullable().defaultTo('in_attesa'); // in_attesa | accettata | respinta
    t.text('decisa_da');
    t.timestamp('decisa_il', { useTz: true });
    t.index(['stato', 'codice_istat']);
  });

  // Invitations and password resets go through the outbox like every other message.
  await knex.raw('alter table posta drop constraint posta_tipo_valido');
  await knex.raw(`alter table posta add constraint posta_tipo_valido check (tipo in ('promemoria', 'riepilogo', 'variazioni', 'allerta', 'invito', 'reimpostazione'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table posta drop constraint posta_tipo_valido');
  await knex.raw(`alter table posta add constraint posta_tipo_valido check (tipo in ('promemoria', 'riepilogo', 'variazioni', 'allerta'))`);
  await knex.schema.dropTableIfExists('contatti_proposte');
  await knex.schema.alterTable('comuni', (t) => {
    t.dropColumn('email_ufficio');
    t.dropColumn('email_ufficio_il');
    t.dropColumn('email_ufficio_da');
  });
  await knex.schema.alterTable('utenti', (t) => t.dropColumn('cambio_password'));
  await knex.schema.dropTableIfExists('utenti_token');
  await knex.schema.dropTableIfExists('caricamenti');
}
