import type { Knex } from 'knex';

/**
 * The eight census metrics (docs/metriche.md, "Metriche del censimento (lato SIZ)"), each stored as
 * `<metric>_siz` and `<metric>_dich`.
 */
const METRICHE = [
  'cartelle_attive',
  'cartelle_attive_tutela',
  'utenti_in_carico',
  'utenti_in_carico_tutela',
  'cartelle_aperte_periodo',
  'utenti_nuovi_periodo',
  'cartelle_chiuse_periodo',
  'utenti_senza_cartella_periodo',
];

/**
 * Reconciliation runs (SIZ against the census). Every run is kept, so a past figure can be
 * reproduced and trends and forecasts drawn from the history (docs/metriche.md, "Cifre della
 * digitalizzazione"). Percentages are numeric(12,2): a comune declaring 1 cartella while SIZ holds
 * thousands gives a figure far above 100 that must still be stored, not overflow.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('riconciliazioni', (t) => {
    t.increments('id');
    t.timestamp('eseguita_il', { useTz: true }).notNullable();
    t.date('oggi').notNullable();
    t.date('data_estrazione'); // SIZ extraction the figures come from (siz_tabelle); null before any SIZ import
    t.date('data_riferimento_richiesta'); // census round asked for explicitly; null = each comune's latest
    t.decimal('obiettivo', 5, 2).notNullable();
    t.decimal('soglia_critica', 5, 2).notNullable();
    t.decimal('digit_ambito', 12, 2);
    t.decimal('digit_ambito_tutela', 12, 2);
    t.integer('comuni');
    t.integer('durata_ms');
    t.text('esito').notNullable(); // ok | errore
    t.text('messaggio');
    t.index(['esito', 'id']);
  });

  await knex.schema.createTable('riconciliazione_comuni', (t) => {
    t.integer('riconciliazione_id').notNullable().references('id').inTable('riconciliazioni').onDelete('CASCADE');
    t.text('codice_istat').notNullable();
    t.text('nome').notNullable();
    t.integer('cluster').notNullable();
    t.text('distretto').notNullable();
    t.integer('popolazione').notNullable();
    t.date('data_riferimento'); // census round used; null = no census for the comune
    t.date('data_conteggio').notNullable(); // E the SIZ counts were taken at
    t.date('periodo_inizio').notNullable(); // Ps
    for (const m of METRICHE) {
      t.integer(`${m}_siz`).notNullable();
      t.integer(`${m}_dich`);
    }
    for (const d of ['digit_tot', 'digit_tutela', 'digit_cluster', 'digit_cluster_tutela', 'digit_distretto', 'digit_ambito']) t.decimal(d, 12, 2);
    t.integer('mancanti_obiettivo');
    t.text('stato').notNullable(); // raggiunto | in_corso | critico | senza_censimento
    t.boolean('sopra_dichiarato').notNullable();
    t.date('previsione_obiettivo');
    t.date('scadenza'); // the open `caricamento` deadline used for a_rischio
    t.decimal('obiettivo_scadenza', 5, 2);
    t.boolean('a_rischio').notNullable().defaultTo(false);
    t.primary(['riconciliazione_id', 'codice_istat']);
    t.index(['codice_istat', 'riconciliazione_id']);
  });

  // percentuale of docs/metriche.md: round(100 * s / d, 2), half away from zero (numeric round),
  // null when d is missing or 0. Exact decimal arithmetic, never float.
  await knex.raw(`
    create or replace function percentuale_digit(s numeric, d numeric)
    returns numeric language sql immutable as $$
      select case when d is null or d = 0 or s is null then null else round(100 * s / d, 2) end
    $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function if exists percentuale_digit(numeric, numeric)');
  await knex.schema.dropTableIfExists('riconciliazione_comuni');
  await knex.schema.dropTableIfExists('riconciliazioni');
}
