import type { AppContext } from '../context';
import { CONTROLLI, SOGLIE } from './controlli';
import { sqlText } from '../shared/sql';
import { statements } from './sql';
import { computeVerdetto, Verdetto } from './verdetto';

export interface EsitoQualita {
  esecuzione_id: number;
  precedente_id: number | null;
  oggi: string;
  data_estrazione: string | null;
  verdetto: Verdetto;
  motivo: string | null;
  risultati: number;
  errori: number;
  avvisi: number;
  /** Findings new / fixed since the previous run; null on the first run. */
  nuovi: number | null;
  risolti: number | null;
  durata_ms: number;
}

/**
 * Runs every check over the whole ambito in one transaction and stores the findings and the
 * per-comune summary (docs/qualita.md). Each check is one set-based statement in
 * sql/queries/qualita/<id>.sql; the big tables are read by the preparation, once for the rows
 * the record checks flag and once for the counts per comune; no row goes through JavaScript
 * (the few unknown service codes only, bound as a list). Two runs never interleave
 * (a transaction-scoped advisory lock), so "the previous run" is well defined.
 */
export async function runQualita(ctx: AppContext, opts: { oggi?: string } = {}): Promise<EsitoQualita> {
  const oggi = opts.oggi ?? ctx.clock.today();
  const knex = ctx.db.knex;
  const t0 = Date.now();
  try {
    return await knex.transaction(async (trx) => {
      await trx.raw(`select pg_advisory_xact_lock(hashtext(current_schema() || ':qualita-esecuzione'))`);
      // Each step's time goes to the debug log (LOG_LEVEL=debug), to see which check is slow.
      const step = async (name: string, bindings: Record<string, unknown>) => {
        const t = Date.now();
        for (const s of statements(name)) await trx.raw(s, bindings);
        ctx.log.debug({ passo: name, ms: Date.now() - t }, 'qualita');
      };
      // One pass over each table: the rows some check flags and the counts per comune
      // (preparazione.sql), read by the verdict, the checks and the summary. The unknown codes
      // are read before and bound: the view's function would keep the scan off parallel workers.
      const [{ codici }] = (await trx.raw(sqlText('qualita', 'codici_sconosciuti'))).rows as { codici: string[] }[];
      await step('preparazione', { oggi, sconosciuti: codici });
      const tv = Date.now();
      const v = await computeVerdetto(trx, 'verdetto_conteggi');
      ctx.log.debug({ passo: 'verdetto', ms: Date.now() - tv }, 'qualita');
      const [{ id: prev }] = await trx('qualita_esecuzioni').where({ esito: 'ok' }).max('id as id');
      const [row] = await trx('qualita_esecuzioni')
        .insert({ eseguita_il: ctx.clock.now(), oggi, data_estrazione: v.data_estrazione, verdetto: v.verdetto, motivo: v.motivo, esito: 'ok' })
        .returning('id');
      const id = row.id as number;
      const base = { esecuzione: id, precedente: prev ?? null, oggi, giorni: SOGLIE.giorniFermo, soglia: SOGLIE.campiFacoltativi };
      for (const c of CONTROLLI) await step(c.id, { ...base, gravita: c.gravita });
      await step('chiavi_membri', base);
      await step('riepilogo', base);
      const [t] = (
        await trx.raw(
          `select coalesce(sum(errori + avvisi), 0) as risultati, coalesce(sum(errori), 0) as errori, coalesce(sum(avvisi), 0) as avvisi,
                  sum(nuovi) as nuovi, sum(risolti) as risolti
           from qualita_comuni where esecuzione_id = ?`,
          [id],
        )
      ).rows as { risultati: number; errori: number; avvisi: number; nuovi: number | null; risolti: number | null }[];
      const durata = Date.now() - t0;
      await trx('qualita_esecuzioni').where({ id }).update({ risultati: t.risultati, durata_ms: durata });
      // The detail of old runs is dropped; their per-comune summaries stay as history.
      await trx.raw(
        `delete from qualita_risultati where esecuzione_id not in (
           select id from qualita_esecuzioni where esito = 'ok' order by id desc limit ?)`,
        [SOGLIE.esecuzioniConDettaglio],
      );
      return {
        esecuzione_id: id,
        precedente_id: prev ?? null,
        oggi,
        data_estrazione: v.data_estrazione,
        verdetto: v.verdetto,
        motivo: v.motivo,
        risultati: Number(t.risultati),
        errori: Number(t.errori),
        avvisi: Number(t.avvisi),
        nuovi: t.nuovi == null ? null : Number(t.nuovi),
        risolti: t.risolti == null ? null : Number(t.risolti),
        durata_ms: durata,
      };
    });
  } catch (e) {
    // A failed run is recorded too (outside the rolled-back transaction), then reported.
    await knex('qualita_esecuzioni')
      .insert({ eseguita_il: ctx.clock.now(), oggi, verdetto: 'non_affidabile', motivo: 'controlli di qualità non completati', esito: 'errore', errore: (e as Error).message, durata_ms: Date.now() - t0 })
      .catch(() => undefined);
    throw e;
  }
}
