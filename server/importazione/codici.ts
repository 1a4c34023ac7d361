import type { Knex } from 'knex';
import { impostazioniLavoroNotturno } from '../db';
import { createStaging, prepareReplacement, Sostituzione } from './sostituzione';

/**
 * The (cartella, code) pairs of a new `prestazioni`, with the date of each pair's first
 * erogazione (migration 20261209510000_prestazioni_codici), into a new table that takes the place
 * of `prestazioni_codici` in the same swap as the erogazioni (sostituzione.ts): the
 * reconciliation then reads a few hundred thousand pairs instead of every erogazione.
 *
 * `stagingPrestazioni` is the import's new erogazioni table, loaded and indexed; nothing writes
 * it afterwards. The proof row `prestazioni_codici_fonte` names it: it becomes `prestazioni` at
 * the swap (same table, renamed), so the pairs count as current from the commit until the next
 * statement that writes the erogazioni (whose trigger deletes the row). Computed before the
 * swap, while the table is still the import's own: the exclusive locks of the swap stay short.
 */
export async function preparaCodici(trx: Knex.Transaction, engine: 'pglite' | 'postgres', stagingPrestazioni: string, staging: string): Promise<Sostituzione> {
  await createStaging(trx, 'prestazioni_codici', staging);
  // The 344 k groups of the regional extract hashed in memory (41 MB): with the default 4 MB the
  // aggregate spilled 110 MB to disk and took 1.7 s instead of 0.95 s (docs/bench.md, the jobs of
  // the cycle alone, 2026-12-05).
  await impostazioniLavoroNotturno(trx, engine);
  await trx.raw(
    `insert into ?? (id_cartella, codice_prestazione, primo)
     select id_cartella, codice_prestazione, min(data_erogazione) from ?? group by id_cartella, codice_prestazione`,
    [staging, stagingPrestazioni],
  );
  await trx.raw(
    `insert into prestazioni_codici_fonte (tabella) values (cast(? as regclass))
     on conflict (unica) do update set tabella = excluded.tabella`,
    [stagingPrestazioni],
  );
  return prepareReplacement(trx, engine, 'prestazioni_codici', staging);
}
