import type { Knex } from 'knex';

/**
 * The demo's back-filled history (server/demo/storia.ts, issue 20). The demo replays 24 monthly
 * extracts of the SIZ before today's: rows of `cartelle` and `membri` loaded later than a month,
 * or removed since (duplicates cleaned up), are parked here as JSON with the month (0-24) they
 * arrive or leave; the replay moves them month by month and leaves this table empty, so the
 * tables end exactly as the real import left them. Empty outside the first `npm start`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('demo_storia_righe', (t) => {
    t.text('tabella').notNullable(); // 'cartelle' | 'membri'
    t.text('chiave').notNullable(); // id_cartella, or membri.riga as text
    t.text('azione').notNullable(); // 'carica' (absent before `mese`) | 'rimuovi' (present before `mese`)
    t.integer('mese').notNullable();
    t.jsonb('riga').notNullable();
    t.primary(['tabella', 'chiave']);
    t.index(['mese']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('demo_storia_righe');
}
