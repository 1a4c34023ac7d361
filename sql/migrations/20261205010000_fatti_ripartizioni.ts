import type { Knex } from 'knex';

/**
 * The precomputed breakdowns of /analisi/ripartizioni (server/fatti, docs/analisi.md
 * "Ripartizioni"): for each year and each active comune, and for each year of the whole ambito
 * (codice_istat null), the rows sql/queries/analisi/ripartizioni.sql gives for that year and
 * selection: accessi and distinct people per dimension (punto, sesso, fascia, nascita) and
 * category ('' = not known). Rebuilt with the other facts, in their transaction.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('fatti_ripartizioni', (t) => {
    t.integer('anno').notNullable();
    t.text('codice_istat'); // null: the whole ambito (people are not additive over comuni)
    t.text('dim').notNullable();
    t.text('cat').notNullable();
    t.integer('accessi').notNullable();
    t.integer('persone').notNullable();
    t.index(['anno', 'codice_istat']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('fatti_ripartizioni');
}
