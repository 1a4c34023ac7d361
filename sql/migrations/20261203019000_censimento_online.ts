import type { Knex } from 'knex';

/**
 * The census online (issue 19).
 *
 * - `censimento_giri`: a round opened by the office: reference date E, period start, deadline,
 *   message; `stato` aperto | chiuso. `censimento_giri_comuni`: the comuni of a round, each with
 *   the `censimento` deadline the round created for it (reminders chase it).
 * - `censimento_dichiarazioni`: a comune's form in a round: the draft (`stato` bozza) or the
 *   latest submission (`stato` inviata). The eight figures of the census, null = not known.
 * - `censimento_invii`: every submission, kept: who, when, whether the office entered it on the
 *   comune's behalf, the warnings shown, or an import (`origine` importazione) for comuni that
 *   sent the sheet instead.
 * - `credenziali_richieste`: the account review ("aggiornamento credenziali"): a comune confirms
 *   an account, asks its removal, or asks a new one; the office approves or rejects.
 */
const FIGURE = ['cartelle_attive', 'cartelle_attive_tutela', 'utenti_in_carico', 'utenti_in_carico_tutela', 'cartelle_aperte_periodo', 'utenti_nuovi_periodo', 'cartelle_chiuse_periodo', 'utenti_senza_cartella_periodo'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('censimento_giri', (t) => {
    t.increments('id');
    t.date('data_riferimento').notNullable();
    t.date('periodo_inizio').notNullable();
    t.date('data_scadenza').notNullable();
    t.text('messaggio');
    t.text('stato').notNullable().defaultTo('aperto');
    t.text('aperto_da');
    t.timestamp('aperto_il', { useTz: true }).notNullable();
    t.timestamp('chiuso_il', { useTz: true });
  });
  await knex.raw(`alter table censimento_giri add constraint censimento_giri_stato check (stato in ('aperto', 'chiuso'))`);

  await knex.schema.createTable('censimento_giri_comuni', (t) => {
    t.integer('giro_id').notNullable().references('id').inTable('censimento_giri').onDelete('CASCADE');
    t.text('codice_istat').notNullable();
    t.integer('scadenza_id').references('id').inTable('scadenze').onDelete('SET NULL');
    t.primary(['giro_id', 'codice_istat']);
  });

  await knex.schema.createTable('censimento_dichiarazioni', (t) => {
    t.integer('giro_id').notNullable().references('id').inTable('censimento_giri').onDelete('CASCADE');
    t.text('codice_istat').notNullable();
    t.text('stato').notNullable(); // bozza | inviata
    for (const f of FIGURE) t.integer(f);
    t.text('note');
    t.text('aggiornata_da');
    t.timestamp('aggiornata_il', { useTz: true }).notNullable();
    t.primary(['giro_id', 'codice_istat']);
  });
  await knex.raw(`alter table censimento_dichiarazioni add constraint censimento_dichiarazioni_stato check (stato in ('bozza', 'inviata'))`);

  await knex.schema.createTable('censimento_invii', (t) => {
    t.increments('id');
    t.integer('giro_id').notNullable().references('id').inTable('censimento_giri').onDelete('CASCADE');
    t.text('codice_istat').notNullable();
    for (const f of FIGURE) t.integer(f);
    t.text('note');
    t.text('origine').notNullable(); // modulo | ufficio | importazione
    t.integer('utente_id');
    t.text('inviato_da');
    t.timestamp('inviato_il', { useTz: true }).notNullable();
    t.jsonb('avvisi').notNullable().defaultTo('[]');
    t.index(['giro_id', 'codice_istat']);
  });

  await knex.schema.createTable('credenziali_richieste', (t) => {
    t.increments('id');
    t.text('codice_istat').notNullable();
    t.text('tipo').notNullable(); // conferma | rimozione | aggiunta
    t.integer('utente_id').references('id').inTable('utenti').onDelete('SET NULL');
    t.text('email');
    t.text('ruolo');
    t.text('operatore_id');
    t.text('nota');
    t.text('stato').notNullable(); // registrata (conferma) | in_attesa | approvata | respinta
    t.text('richiesta_da').notNullable();
    t.timestamp('richiesta_il', { useTz: true }).notNullable();
    t.text('decisa_da');
    t.timestamp('decisa_il', { useTz: true });
    t.index(['stato', 'codice_istat']);
  });
  await knex.raw(`alter table credenziali_richieste add constraint credenziali_richieste_tipo check (tipo in ('conferma', 'rimozione', 'aggiunta'))`);

  // The round's invitation goes through the outbox like every other message.
  await knex.raw('alter table posta drop constraint posta_tipo_valido');
  await knex.raw(`alter table posta add constraint posta_tipo_valido check (tipo in ('promemoria', 'riepilogo', 'variazioni', 'allerta', 'invito', 'reimpostazione', 'censimento'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table posta drop constraint posta_tipo_valido');
  await knex.raw(`alter table posta add constraint posta_tipo_valido check (tipo in ('promemoria', 'riepilogo', 'variazioni', 'allerta', 'invito', 'reimpostazione'))`);
  for (const t of ['credenziali_richieste', 'censimento_invii', 'censimento_dichiarazioni', 'censimento_giri_comuni', 'censimento_giri']) await knex.schema.dropTableIfExists(t);
}
