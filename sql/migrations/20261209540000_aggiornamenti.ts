import type { Knex } from 'knex';

/**
 * The updates in progress: one row while imports and the chain of jobs after them run as one
 * (server/fatti/notte.ts, `aggiornamento`), deleted when they end. Between an import's commit
 * and the chain's first job, and between two jobs of the chain, no row of `importazioni` or
 * `job_esecuzioni` is `in_corso`: without this row the pages took those moments for the end of
 * the night and computed their figures from the tables the chain was still working on
 * (docs/fatti.md, «The night between its steps»).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('aggiornamenti', (t) => {
    t.increments('id').primary();
    t.text('origine').notNullable();
    // host:pid of the process, so that the next start on this host can drop the rows of a dead one.
    t.text('istanza').notNullable();
    t.timestamp('avviato_il', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('aggiornamenti');
}
