import type { Knex } from 'knex';

/**
 * Registry variations and the alarms they raise for social workers (issue 8, docs/variazioni.md).
 *
 * - `variazioni_confronti`: one row per snapshot of a comune that has been compared with its
 *   predecessor (data_precedente null = the comune's first snapshot, nothing to compare). The
 *   job only moves forward: a snapshot not newer than the last compared one is never compared
 *   again, so re-importing or re-running creates nothing new. The anagrafe import keeps a
 *   snapshot until it has been compared (server/importazione/anagrafe.ts, pruning).
 * - `variazioni`: the six types of docs/metriche.md ("Variazioni anagrafiche") with both dates
 *   and the registry details of the person at those dates, kept after the snapshots themselves are pruned.
 * - `allarmi`: one per (variation, cartella) pair for the cartella's operatore. `notifica` says
 *   what happened to the e-mail: in_attesa (not yet in a digest), email (in the digest whose
 *   outbox key is `messaggio_chiave`), senza_email (operatore without an address: in-app only),
 *   senza_operatore (cartella without an operatore, or one missing from operatori.csv).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('variazioni_confronti', (t) => {
    t.increments('id');
    t.text('codice_istat').notNullable();
    t.date('data_precedente');
    t.date('data_snapshot').notNullable();
    t.timestamp('confrontato_il', { useTz: true }).notNullable();
    t.unique(['codice_istat', 'data_snapshot']);
  });

  await knex.schema.createTable('variazioni', (t) => {
    t.bigIncrements('id');
    t.text('codice_istat').notNullable();
    t.date('data_precedente').notNullable();
    t.date('data_snapshot').notNullable();
    t.text('codice_fiscale').notNullable();
    t.text('tipo').notNullable();
    t.text('cognome');
    t.text('nome');
    t.date('data_nascita');
    t.text('indirizzo_precedente');
    t.text('indirizzo');
    t.text('id_famiglia_precedente');
    t.text('id_famiglia');
    t.date('data_evento');
    t.timestamp('rilevata_il', { useTz: true }).notNullable();
    t.unique(['codice_istat', 'data_precedente', 'data_snapshot', 'codice_fiscale', 'tipo']);
    t.index(['data_snapshot']);
    t.index(['codice_fiscale']);
  });
  await knex.raw(`alter table variazioni add constraint variazioni_tipo_valido check (tipo in ('nascita', 'immigrazione', 'decesso', 'emigrazione', 'cambio_indirizzo', 'cambio_famiglia'))`);

  await knex.schema.createTable('allarmi', (t) => {
    t.bigIncrements('id');
    t.bigInteger('variazione_id').notNullable().references('id').inTable('variazioni').onDelete('CASCADE');
    t.text('id_cartella').notNullable();
    t.text('operatore_id');
    // The cartella's comune: the UdP board counts open alarms per comune of the case.
    t.text('codice_istat');
    t.text('compito');
    t.timestamp('creato_il', { useTz: true }).notNullable();
    t.text('notifica').notNullable().defaultTo('in_attesa');
    t.timestamp('notificato_il', { useTz: true });
    t.text('messaggio_chiave');
    t.timestamp('preso_visione_il', { useTz: true });
    t.integer('preso_visione_da');
    t.text('preso_visione_email');
    t.unique(['variazione_id', 'id_cartella']);
    t.index(['operatore_id', 'preso_visione_il']);
    t.index(['codice_istat']);
    t.index(['notifica']);
  });
  await knex.raw(`alter table allarmi add constraint allarmi_notifica_valida check (notifica in ('in_attesa', 'email', 'senza_email', 'senza_operatore'))`);
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['allarmi', 'variazioni', 'variazioni_confronti']) await knex.schema.dropTableIfExists(t);
}
