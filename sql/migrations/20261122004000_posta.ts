import type { Knex } from 'knex';

/**
 * The outbox and the acknowledgements of reminders (issue 7, docs/promemoria.md).
 *
 * - `posta`: one row per message and recipient. `chiave` is the idempotency key (unique per
 *   occasion and recipient): enqueueing the same occasion twice, from a re-run, a second
 *   instance or after a crash, inserts nothing. `stato` goes in_attesa -> invio (claimed by one
 *   sender, `in_invio_dal` = when) -> inviato | fallito (retried at `prossimo_tentativo`) |
 *   scartato (gave up, reason in `ultimo_errore`). `message_id` is derived from `chiave`, so a
 *   manual resend carries the same Message-ID and mail systems can recognise it.
 * - `prese_visione`: the one-click acknowledgement of a reminder, at most one per message.
 * - `chiavi_firma`: a random signing key for the acknowledgement links, used only when
 *   SESSION_SECRET is unset (the embedded demo); kept in the database so every instance and
 *   every restart verifies the links already sent.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('posta', (t) => {
    t.increments('id');
    t.text('tipo').notNullable();
    t.text('chiave').notNullable().unique();
    t.text('destinatario').notNullable();
    t.text('oggetto').notNullable();
    t.text('testo').notNullable();
    t.text('html').notNullable();
    t.text('codice_istat');
    t.text('riferimento');
    t.integer('scadenza_id').references('id').inTable('scadenze').onDelete('SET NULL');
    t.text('stato').notNullable().defaultTo('in_attesa');
    t.integer('tentativi').notNullable().defaultTo(0);
    t.timestamp('prossimo_tentativo', { useTz: true });
    t.timestamp('in_invio_dal', { useTz: true });
    t.text('ultimo_errore');
    t.text('message_id');
    t.timestamp('creato_il', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('inviato_il', { useTz: true });
    t.index(['stato', 'prossimo_tentativo']);
    t.index(['scadenza_id']);
    t.index(['tipo', 'id']);
  });
  await knex.raw(`alter table posta add constraint posta_tipo_valido check (tipo in ('promemoria', 'riepilogo', 'variazioni', 'allerta'))`);
  await knex.raw(`alter table posta add constraint posta_stato_valido check (stato in ('in_attesa', 'invio', 'inviato', 'fallito', 'scartato'))`);

  await knex.schema.createTable('prese_visione', (t) => {
    t.increments('id');
    t.text('chiave').notNullable().unique(); // the message's chiave: one acknowledgement per message
    t.integer('posta_id').references('id').inTable('posta').onDelete('SET NULL');
    t.integer('scadenza_id').references('id').inTable('scadenze').onDelete('CASCADE');
    t.text('codice_istat');
    t.text('destinatario').notNullable();
    t.timestamp('registrata_il', { useTz: true }).notNullable();
    t.index(['scadenza_id']);
  });

  await knex.schema.createTable('chiavi_firma', (t) => {
    t.text('nome').primary();
    t.text('chiave').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['chiavi_firma', 'prese_visione', 'posta']) await knex.schema.dropTableIfExists(t);
}
