import type { Knex } from 'knex';

/**
 * Core tables: registry, nomenclature, SIZ extract, census, civil registry, deadlines and the
 * import log. Domain names follow docs/formati.md. Dates are `date`, amounts
 * numeric(14,2). Codici fiscali are stored normalized, with the result of the check-character
 * test computed once at import (`cf_valido`).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('comuni', (t) => {
    t.text('codice_istat').primary();
    t.text('nome').notNullable();
    t.text('nome_norm').notNullable().index();
    t.integer('popolazione').notNullable();
    t.text('distretto').notNullable();
    t.text('email');
    t.boolean('attivo').notNullable().defaultTo(true);
    t.timestamp('aggiornato_il', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('nomenclatore', (t) => {
    t.text('codice').primary();
    t.text('descrizione');
    t.text('macro_area');
    t.boolean('pasti_trasporti').notNullable().defaultTo(false);
  });

  await knex.schema.createTable('importazioni', (t) => {
    t.increments('id');
    t.text('tipo').notNullable();
    t.text('origine');
    t.timestamp('avviato_il', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('concluso_il', { useTz: true });
    t.jsonb('file').notNullable().defaultTo('[]');
    t.date('data_estrazione');
    t.text('esito').notNullable(); // ok | nessuna_modifica | rifiutata | errore
    t.integer('righe');
    t.text('messaggio');
    t.jsonb('errori');
    t.jsonb('avvisi');
    t.text('utente');
    t.index(['tipo', 'avviato_il']);
  });

  // Which file is loaded in each SIZ table now: checksums make a re-import of the same files a no-op.
  await knex.schema.createTable('siz_tabelle', (t) => {
    t.text('tabella').primary();
    t.text('checksum').notNullable();
    t.integer('righe').notNullable();
    t.integer('importazione_id').notNullable();
    t.date('data_estrazione').notNullable();
  });

  await knex.schema.createTable('cartelle', (t) => {
    t.text('id_cartella').primary();
    t.text('codice_istat');
    t.date('data_apertura').notNullable();
    t.date('data_chiusura');
    t.text('area_utenza');
    t.boolean('tutela_minori').notNullable().defaultTo(false);
    t.text('operatore_id');
    t.integer('riga').notNullable();
    t.index(['codice_istat']);
    t.index(['operatore_id']);
  });

  // Member rows have no id of their own: `riga` (the line in the imported file) identifies them.
  await knex.schema.createTable('membri', (t) => {
    t.integer('riga').primary();
    t.text('id_cartella').notNullable();
    t.text('codice_fiscale').notNullable();
    t.boolean('cf_valido').notNullable();
    t.text('ruolo');
    t.date('data_inizio');
    t.date('data_fine');
    t.date('data_nascita');
    t.date('data_nascita_cf');
    t.index(['id_cartella']);
    t.index(['codice_fiscale']);
  });

  await knex.schema.createTable('prestazioni', (t) => {
    t.text('id_prestazione').primary();
    t.text('id_cartella');
    t.text('codice_fiscale');
    t.boolean('cf_valido');
    t.text('codice_istat');
    t.text('codice_prestazione').notNullable();
    t.text('descrizione');
    t.date('data_erogazione').notNullable();
    t.decimal('costo', 14, 2).notNullable();
    t.decimal('quota_comune', 14, 2).notNullable();
    t.boolean('quota_comune_indicata').notNullable();
    t.decimal('recupero_assistito', 14, 2).notNullable().defaultTo(0);
    t.decimal('recupero_famiglia', 14, 2).notNullable().defaultTo(0);
    t.decimal('recupero_altri_enti', 14, 2).notNullable().defaultTo(0);
    t.decimal('recupero_altri', 14, 2).notNullable().defaultTo(0);
    t.integer('riga').notNullable();
    t.index(['id_cartella']);
    t.index(['codice_istat', 'data_erogazione']);
  });

  await knex.schema.createTable('accessi', (t) => {
    t.text('id_accesso').primary();
    t.text('codice_fiscale');
    t.boolean('cf_valido');
    t.text('codice_istat');
    t.date('data_accesso').notNullable();
    t.date('data_nascita');
    t.date('data_nascita_cf');
    t.text('area_utenza');
    t.text('motivo_accesso');
    t.text('problema_riscontrato');
    t.text('punto_accesso');
    t.integer('riga').notNullable();
    t.index(['codice_istat', 'data_accesso']);
  });

  await knex.schema.createTable('operatori', (t) => {
    t.text('operatore_id').primary();
    t.text('nome');
    t.text('cognome');
    t.text('email');
    t.text('codice_istat');
    t.integer('riga').notNullable();
  });

  await knex.schema.createTable('censimento', (t) => {
    t.text('codice_istat').notNullable();
    t.date('data_riferimento').notNullable();
    t.date('periodo_inizio').notNullable();
    t.integer('cartelle_attive').notNullable();
    t.integer('cartelle_attive_tutela');
    t.integer('utenti_in_carico');
    t.integer('utenti_in_carico_tutela');
    t.integer('cartelle_aperte_periodo');
    t.integer('utenti_nuovi_periodo');
    t.integer('cartelle_chiuse_periodo');
    t.integer('utenti_senza_cartella_periodo');
    t.text('note');
    t.integer('importazione_id');
    t.timestamp('importato_il', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['codice_istat', 'data_riferimento']);
  });

  await knex.schema.createTable('anagrafe_snapshot', (t) => {
    t.increments('id');
    t.text('codice_istat').notNullable();
    t.date('data_snapshot').notNullable();
    t.integer('importazione_id');
    t.integer('righe').notNullable().defaultTo(0);
    t.timestamp('importato_il', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['codice_istat', 'data_snapshot']);
  });

  await knex.schema.createTable('anagrafe', (t) => {
    t.integer('snapshot_id').notNullable().references('id').inTable('anagrafe_snapshot').onDelete('CASCADE');
    t.text('codice_fiscale').notNullable();
    t.boolean('cf_valido').notNullable();
    t.text('cognome');
    t.text('nome');
    t.text('sesso');
    t.date('data_nascita');
    t.date('data_nascita_cf');
    t.text('codice_istat').notNullable();
    t.text('indirizzo');
    // Compared after trimming, upper-casing and collapsing spaces (data contract, section 4).
    t.text('indirizzo_norm');
    t.text('id_famiglia').notNullable();
    t.text('stato').notNullable().defaultTo('residente');
    t.date('data_evento');
    t.integer('riga').notNullable();
    t.primary(['snapshot_id', 'codice_fiscale']);
    t.index(['snapshot_id', 'id_famiglia']);
  });

  await knex.schema.createTable('scadenze', (t) => {
    t.increments('id');
    t.text('codice_istat').notNullable();
    t.text('tipo').notNullable(); // caricamento | censimento | credenziali | altro
    t.date('data_scadenza').notNullable();
    t.decimal('obiettivo', 5, 2);
    t.text('descrizione');
    t.text('email');
    t.boolean('chiusa').notNullable().defaultTo(false);
    t.timestamp('completata_il', { useTz: true });
    t.timestamp('creata_il', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('aggiornata_il', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['codice_istat', 'tipo', 'data_scadenza']);
  });

  // Cluster by resident population (docs/metriche.md, "Cluster").
  await knex.raw(`
    create or replace function cluster_popolazione(p integer)
    returns integer language sql immutable as $$
      select case when p >= 20000 then 1 when p >= 10000 then 2 when p >= 5000 then 3
                  when p >= 3000 then 4 when p >= 1000 then 5 else 6 end
    $$`);

  // Area utenza of a person at date d (docs/metriche.md, "Area utenza (fasce d'età)"): the birth
  // date given in the row, else the one decoded from the CF (stored with the century relative to
  // the extraction date, so moved back 100 years when that would put the birth after d); else the
  // row's own area.
  await knex.raw(`
    create or replace function area_utenza_al(nascita date, nascita_cf date, area text, d date)
    returns text language sql immutable as $$
      select case
        when coalesce(nascita, case when nascita_cf > d then (nascita_cf - interval '100 years')::date else nascita_cf end) is null
          then coalesce(area, 'non_indicata')
        when age(d, coalesce(nascita, case when nascita_cf > d then (nascita_cf - interval '100 years')::date else nascita_cf end)) < interval '18 years'
          then 'minori'
        when age(d, coalesce(nascita, case when nascita_cf > d then (nascita_cf - interval '100 years')::date else nascita_cf end)) >= interval '65 years'
          then 'anziani'
        else 'adulti'
      end
    $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function if exists area_utenza_al(date, date, text, date)');
  await knex.raw('drop function if exists cluster_popolazione(integer)');
  for (const t of ['scadenze', 'anagrafe', 'anagrafe_snapshot', 'censimento', 'operatori', 'accessi', 'prestazioni', 'membri', 'cartelle', 'siz_tabelle', 'importazioni', 'nomenclatore', 'comuni']) {
    await knex.schema.dropTableIfExists(t);
  }
}
