import type { Knex } from 'knex';

/**
 * The precomputed facts of the cruscotto (server/fatti, docs/fatti.md): the raw per-comune figures
 * of each family (sportello, sociali, economici, mese), computed at the end of the nightly chain
 * and read by key by the pages, so a page sums a few thousand rows instead of scanning millions.
 * Every table holds the rows the family's own query (sql/queries/cruscotto) gives for one key
 * (year, year and day, month); `fatti_stato` says which data they were computed from and which
 * keys they cover. All of them are rebuilt together, in one transaction.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('fatti_stato', (t) => {
    t.integer('id').primary(); // always 1: one computation at a time is the current one
    t.text('fonte').notNullable(); // the data version the facts were computed from (server/fatti/fonte.ts)
    t.timestamp('calcolato_il', { useTz: true }).notNullable();
    t.date('dati_al'); // date of the SIZ extract the facts come from
    t.jsonb('chiavi').notNullable(); // { anni: number[], giorni: {anno: giorno}, mesi: string[] }
    t.float('secondi');
  });
  await knex.schema.createTable('fatti_sportello', (t) => {
    t.integer('anno').notNullable();
    t.text('codice_istat').notNullable();
    t.text('area').notNullable();
    t.integer('accessi').notNullable();
    t.integer('nuovi').notNullable();
    t.index(['anno']);
  });
  // lista: 'motivi' or 'problemi' (the latter without a motivo chosen: with one, the page asks
  // the accessi themselves, a drill-down kept exact and live).
  await knex.schema.createTable('fatti_sportello_categorie', (t) => {
    t.integer('anno').notNullable();
    t.text('lista').notNullable();
    t.text('codice_istat').notNullable();
    t.text('area').notNullable();
    t.text('categoria').notNullable();
    t.integer('n').notNullable();
    t.index(['anno', 'lista']);
  });
  await knex.schema.createTable('fatti_non_attribuiti', (t) => {
    t.integer('anno').primary();
    t.integer('accessi').notNullable();
    t.integer('cartelle').notNullable();
    t.integer('prestazioni').notNullable();
  });
  await knex.schema.createTable('fatti_sociali', (t) => {
    t.integer('anno').notNullable();
    t.date('giorno').notNullable();
    t.text('misura').notNullable();
    t.text('codice_istat').notNullable();
    t.text('area').notNullable();
    t.integer('n').notNullable();
    t.index(['anno', 'giorno']);
  });
  await knex.schema.createTable('fatti_economici', (t) => {
    t.integer('anno').notNullable();
    t.text('codice_istat').notNullable();
    t.text('codice_prestazione').notNullable();
    t.text('area').notNullable();
    t.integer('n').notNullable();
    for (const c of ['costo', 'quota_comune', 'recupero_assistito', 'recupero_famiglia', 'recupero_altri_enti', 'recupero_altri']) t.decimal(c, 16, 2);
    t.index(['anno']);
  });
  await knex.schema.createTable('fatti_codici', (t) => {
    t.text('codice_prestazione').primary();
    t.text('descrizione');
    t.boolean('conosciuto');
  });
  // misura: accessi | cartelle | erogazioni (month over month, sql/queries/cruscotto/mese.sql).
  await knex.schema.createTable('fatti_mese', (t) => {
    t.text('mese').notNullable();
    t.text('misura').notNullable();
    t.text('codice_istat').notNullable();
    t.text('area').notNullable();
    t.integer('n').notNullable();
    t.index(['mese']);
  });
  await knex.schema.createTable('fatti_mese_top', (t) => {
    t.text('mese').notNullable();
    t.text('lista').notNullable();
    t.text('codice_istat').notNullable();
    t.text('categoria').notNullable();
    t.text('area').notNullable();
    t.integer('n').notNullable();
    t.index(['mese']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['fatti_mese_top', 'fatti_mese', 'fatti_codici', 'fatti_economici', 'fatti_sociali', 'fatti_non_attribuiti', 'fatti_sportello_categorie', 'fatti_sportello', 'fatti_stato']) {
    await knex.schema.dropTableIfExists(t);
  }
}
