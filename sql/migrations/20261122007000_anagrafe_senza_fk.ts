import type { Knex } from 'knex';

/**
 * The foreign key anagrafe.snapshot_id -> anagrafe_snapshot cost about a third of the time of
 * loading a 1,000,000-resident snapshot (one trigger call per row). The import is the only
 * writer and deletes a pruned snapshot's rows itself, so the constraint is dropped.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('anagrafe', (t) => {
    t.dropForeign(['snapshot_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('anagrafe', (t) => {
    t.foreign('snapshot_id').references('id').inTable('anagrafe_snapshot').onDelete('CASCADE');
  });
}
