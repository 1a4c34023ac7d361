import type { Knex } from 'knex';

/**
 * Data-quality runs (docs/metriche.md, "Controlli di qualità dei dati"). Every run keeps its
 * findings, so the office sees per comune what was fixed and what is new since the previous run
 * (docs/qualita.md describes every column).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('qualita_esecuzioni', (t) => {
    t.increments('id');
    t.timestamp('eseguita_il', { useTz: true }).notNullable();
    t.date('oggi').notNullable(); // "today" of the run: future dates and the 60-day window use it
    t.date('data_estrazione'); // SIZ extraction checked (siz_tabelle); null before any SIZ import
    t.text('verdetto').notNullable(); // affidabile | non_affidabile
    t.text('motivo'); // why non_affidabile, in Italian
    t.text('esito').notNullable(); // ok | errore
    t.text('errore');
    t.integer('risultati');
    t.integer('durata_ms');
    t.index(['esito', 'id']);
  });

  // One row per finding. Findings hold no personal data: only record ids and generic messages.
  // No foreign key to the run: a per-row trigger would cost more than the checks themselves on
  // the embedded engine; the run deletes its old findings itself (and `down` drops both).
  await knex.schema.createTable('qualita_risultati', (t) => {
    t.integer('esecuzione_id').notNullable();
    t.text('controllo').notNullable();
    t.text('gravita').notNullable(); // errore | avviso
    t.text('codice_istat'); // null = non attribuito
    t.text('tabella').notNullable();
    t.text('id_record'); // null for comune-level findings
    t.integer('riga'); // member rows: the line in membri.csv
    // Identity across runs for "new" / "fixed": the record id, except for member rows (whose
    // line number moves when lines are added above) and comune-level findings. Set for member
    // rows by a last step of the run (sql/queries/qualita/chiavi_membri.sql).
    t.text('chiave');
    t.text('messaggio').notNullable();
    t.decimal('valore', 14, 2);
    t.unique(['esecuzione_id', 'controllo', 'tabella', 'chiave']);
    t.index(['esecuzione_id', 'codice_istat']);
  });

  // Per-comune summary of a run (codice_istat null = the non-attributed rows).
  await knex.schema.createTable('qualita_comuni', (t) => {
    t.integer('esecuzione_id').notNullable().references('id').inTable('qualita_esecuzioni').onDelete('CASCADE');
    t.text('codice_istat');
    t.integer('record').notNullable();
    t.integer('record_con_errori').notNullable();
    t.decimal('punteggio', 5, 2); // null when the comune has no records
    t.jsonb('controlli').notNullable(); // { check id: number of findings }, every check
    t.integer('errori').notNullable();
    t.integer('avvisi').notNullable();
    t.integer('nuovi'); // null on the first run (nothing to compare with)
    t.integer('risolti');
  });
  await knex.raw(`create unique index qualita_comuni_esecuzione_comune on qualita_comuni (esecuzione_id, coalesce(codice_istat, ''))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('qualita_comuni');
  await knex.schema.dropTableIfExists('qualita_risultati');
  await knex.schema.dropTableIfExists('qualita_esecuzioni');
}
