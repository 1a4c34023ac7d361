import type { Knex } from 'knex';

/**
 * The registry's index on `codice_fiscale` (migration 20261204020000_ripartizioni, for the
 * breakdowns' `sesso` looked up per CF) as a hash index instead of a b-tree. Every registry
 * import inserts a whole new snapshot into `anagrafe`, and PostgreSQL maintains this index row by
 * row while the COPY streams (server/importazione/anagrafe.ts): the CFs arrive in random order, so
 * each insert went down a b-tree of every snapshot's CFs, and the b-tree's deduplication rewrote
 * the leaf pages of a CF already present in an earlier snapshot. A hash index inserts into one
 * bucket (docs/bench.md, "The imports of the cycle against COPY", 2026-12-05). Its only readers
 * ask for equal CFs (`codice_fiscale in (...)`, `= any`, joins): no reading needs the b-tree's
 * order.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists anagrafe_codice_fiscale_idx');
  await knex.raw('create index anagrafe_codice_fiscale_idx on anagrafe using hash (codice_fiscale)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists anagrafe_codice_fiscale_idx');
  await knex.raw('create index anagrafe_codice_fiscale_idx on anagrafe (codice_fiscale)');
}
