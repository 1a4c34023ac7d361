import type { Database } from '../db';
import { statements } from './sql';
import { COMPITO_DECESSO } from './tipi';

/** One comparison done by a run: a comune's new snapshot against its previous one. */
export interface Confronto {
  codice_istat: string;
  /** null: the comune's first snapshot, nothing to compare. */
  data_precedente: string | null;
  data_snapshot: string;
  variazioni: number;
  allarmi: number;
}

/**
 * Compares every snapshot not compared yet with its predecessor, stores the variations and the
 * alarms they raise, all in one transaction (sql/queries/variazioni/confronta.sql). A
 * transaction-level advisory lock serialises concurrent runs, also across instances sharing one
 * PostgreSQL; the second one then finds nothing left to compare.
 */
export async function calcolaVariazioni(db: Database, opts: { ora: Date }): Promise<Confronto[]> {
  const bindings = { ora: opts.ora.toISOString(), compito: COMPITO_DECESSO };
  return db.knex.transaction(async (trx) => {
    await trx.raw(`select pg_advisory_xact_lock(hashtext(current_schema() || ':variazioni:confronto'))`);
    const [coppie, ...resto] = statements('confronta');
    await trx.raw(coppie, bindings);
    // Statistics are refreshed only when there is something to compare (ANALYZE samples the
    // whole registry: not worth it for a run that finds nothing new).
    const daConfrontare = (await trx.raw('select count(*) as n from var_coppie where id0 is not null')).rows[0].n > 0;
    let last: { rows: Confronto[] } = { rows: [] };
    for (const s of resto) {
      if (!daConfrontare && /^analyze\b/i.test(s)) continue;
      last = await trx.raw(s, bindings);
    }
    return last.rows.map((r) => ({ ...r, variazioni: Number(r.variazioni), allarmi: Number(r.allarmi) }));
  });
}
