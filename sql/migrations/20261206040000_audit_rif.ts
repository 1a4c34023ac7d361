import type { Knex } from 'knex';

/**
 * `audit.rif`: the id an audit event gets when it is written first to the journal of the
 * embedded database (server/audit/attesa.ts) because PGlite's one connection is taken by an
 * import. The journal is copied into the table later, maybe twice after a crash mid-copy: the
 * unique index makes the second copy a no-op. Rows written directly have no `rif`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit', (t) => {
    t.text('rif');
    t.unique(['rif'], { indexName: 'audit_rif_key' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit', (t) => {
    t.dropUnique(['rif'], 'audit_rif_key');
    t.dropColumn('rif');
  });
}
