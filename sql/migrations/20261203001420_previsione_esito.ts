import type { Knex } from 'knex';

/**
 * "A rischio" in plain words (issue 14). A comune is a rischio when the forecast for its
 * deadline's own target is after the deadline or missing (docs/metriche.md); the pages and
 * emails used to say "al ritmo attuale l'obiettivo arriverebbe dopo la scadenza" also when there
 * was no forecast at all. Each run now keeps:
 * - `previsione_scadenza`: the forecast date for the deadline's own target (the one the risk
 *   rule uses; `previsione_obiettivo` stays the one for the configured target);
 * - `previsione_esito`: why there is or is not a forecast: `prevista`, `storia_insufficiente`
 *   (fewer than 3 days with a figure, or less than 14 days between the first and the last),
 *   `andamento_fermo` (the line is flat or falling); null without a figure (no census).
 * Rows of earlier runs keep nulls; the wording then says only that there is no forecast.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('riconciliazione_comuni', (t) => {
    t.date('previsione_scadenza');
    t.text('previsione_esito');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('riconciliazione_comuni', (t) => {
    t.dropColumn('previsione_esito');
    t.dropColumn('previsione_scadenza');
  });
}
