import type { AppContext } from '../context';
import { impostazioniLavoroNotturno } from '../db';
import { METRICHE, Stato, STATI } from './metriche';
import { dataEstrazione } from '../importazione/estrazione';
import { defaultRiferimento } from './riferimento';
import { sql } from './sql';
import { percento } from '../shared/formato';

export interface RunOptions {
  /** "Today" of the run (YYYY-MM-DD); default the clock's today. */
  oggi?: string;
  /** Census round to use for every comune; default each comune's most recent round. */
  dataRiferimento?: string;
}

export interface RunResult {
  id: number;
  comuni: number;
  oggi: string;
  data_estrazione: string | null;
  digit_ambito: number | null;
  digit_ambito_tutela: number | null;
  stati: Record<Stato, number>;
  a_rischio: number;
  messaggio: string;
}

/** Columns of riconciliazione_comuni filled from the `risultato` CTE of metriche.sql. */
const COLONNE = [
  'codice_istat', 'nome', 'cluster', 'distretto', 'popolazione', 'data_riferimento', 'data_conteggio', 'periodo_inizio',
  ...METRICHE.flatMap((m) => [`${m}_siz`, `${m}_dich`]),
  'digit_tot', 'digit_tutela', 'digit_cluster', 'digit_cluster_tutela', 'digit_distretto', 'digit_ambito',
  'mancanti_obiettivo', 'stato', 'sopra_dichiarato', 'scadenza', 'obiettivo_scadenza',
];

const isIsoDate = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

const pct = (v: number | null) => percento(v);

/**
 * Runs the reconciliation: the census metrics and digitalization of every active comune in one
 * set-based statement, then the forecast from the stored history; all stored as one run (old
 * runs are kept). A failed run is recorded with esito 'errore' and the error re-thrown.
 */
export async function runRiconciliazione(ctx: AppContext, opts: RunOptions = {}): Promise<RunResult> {
  const { db, config } = ctx;
  const oggi = opts.oggi ?? ctx.clock.today();
  for (const d of [oggi, opts.dataRiferimento]) {
    if (d != null && !isIsoDate(d)) throw new RangeError(`data non valida: "${d}" (atteso AAAA-MM-GG)`);
  }
  const started = Date.now();
  const eseguita_il = ctx.clock.now();
  const header = { eseguita_il, oggi, obiettivo: config.obiettivo, soglia_critica: config.sogliaCritica, data_riferimento_richiesta: opts.dataRiferimento ?? null };
  let estrazione: string | null = null;
  try {
    estrazione = await dataEstrazione(db);
    const eDefault = await defaultRiferimento(db, { dataRiferimento: opts.dataRiferimento, oggi });
    const id = await db.knex.transaction(async (trx) => {
      await impostazioniLavoroNotturno(trx, db.engine);
      // No JIT compilation for these statements: at the regional scale the planner's estimate
      // (a few hundred comuni for 1,500) starts it, and compiling the metrics' 239 functions took
      // 185 ms of a 2.5 s statement, more than it saved (docs/bench.md, the jobs of the cycle).
      // The facts' longer statements gain from it, so it stays on there.
      if (db.engine === 'postgres') await trx.raw('set local jit = off');
      const [row] = await trx('riconciliazioni').insert({ ...header, data_estrazione: estrazione, esito: 'ok' }).returning('id');
      const runId = Number(typeof row === 'object' ? row.id : row);
      const params = {
        data_rif: opts.dataRiferimento ?? null,
        e_default: eDefault,
        comune: null,
        obiettivo: String(config.obiettivo),
        soglia: String(config.sogliaCritica),
        oggi,
        cols: COLONNE,
        run_id: runId,
      };
      await trx.raw(`${sql('contesto')}${sql('metriche')}
        insert into riconciliazione_comuni (riconciliazione_id, :cols:)
        select cast(:run_id as integer), :cols: from risultato`, params);
      await trx.raw(sql('previsione'), { run_id: runId, oggi, obiettivo: String(config.obiettivo) });
      await trx.raw(
        `update riconciliazioni r
         set digit_ambito = a.digit_tot, digit_ambito_tutela = a.digit_tutela, comuni = a.n, durata_ms = cast(:ms as integer)
         from (
           select count(*) as n,
                  percentuale_digit(sum(cartelle_attive_siz) filter (where cartelle_attive_dich > 0),
                                    sum(cartelle_attive_dich) filter (where cartelle_attive_dich > 0)) as digit_tot,
                  percentuale_digit(sum(cartelle_attive_tutela_siz) filter (where cartelle_attive_tutela_dich > 0),
                                    sum(cartelle_attive_tutela_dich) filter (where cartelle_attive_tutela_dich > 0)) as digit_tutela
           from riconciliazione_comuni where riconciliazione_id = cast(:run_id as integer)
         ) a
         where r.id = cast(:run_id as integer)`,
        { run_id: runId, ms: Date.now() - started },
      );
      return runId;
    });
    return await summary(ctx, id);
  } catch (e) {
    await db
      .knex('riconciliazioni')
      .insert({ ...header, data_estrazione: estrazione, esito: 'errore', messaggio: (e as Error).message, durata_ms: Date.now() - started })
      .catch(() => undefined);
    throw e;
  }
}

async function summary(ctx: AppContext, id: number): Promise<RunResult> {
  const knex = ctx.db.knex;
  const run = await knex('riconciliazioni').where({ id }).first();
  const rows: { stato: Stato; n: number; rischio: number }[] = (
    await knex.raw(
      `select stato, count(*) as n, count(*) filter (where a_rischio) as rischio
       from riconciliazione_comuni where riconciliazione_id = ? group by stato`,
      [id],
    )
  ).rows;
  const stati = Object.fromEntries(STATI.map((s) => [s, 0])) as Record<Stato, number>;
  let rischio = 0;
  for (const r of rows) {
    stati[r.stato] = Number(r.n);
    rischio += Number(r.rischio);
  }
  const comuni = Number(run.comuni ?? 0);
  const messaggio =
    `Riconciliazione n. ${id} del ${run.oggi} (estrazione SIZ ${run.data_estrazione ?? 'assente'}): ${comuni} comuni, ` +
    `${stati.raggiunto} raggiunto, ${stati.in_corso} in corso, ${stati.critico} critico, ${stati.senza_censimento} senza censimento, ` +
    // "n.d." would end the sentence with two full stops.
    `${rischio} a rischio; digitalizzazione dell'ambito ${run.digit_ambito == null ? 'non calcolabile' : pct(run.digit_ambito)}.`;
  return {
    id,
    comuni,
    oggi: run.oggi,
    data_estrazione: run.data_estrazione,
    digit_ambito: run.digit_ambito,
    digit_ambito_tutela: run.digit_ambito_tutela,
    stati,
    a_rischio: rischio,
    messaggio,
  };
}
