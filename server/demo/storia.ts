/**
 * The demo's history (issue 20): 24 monthly reconciliation runs before today's, replayed on the
 * extracts the SIZ held then, so trends, forecasts and "a rischio" have something to show.
 *
 * The extract of month i (0-23, run at oggi - (24 - i) months, extraction the day before) is
 * today's import without the cartelle a rising comune had not loaded yet and with the duplicates
 * a falling comune had not cleaned yet. The last MESI_QUALITA months also run the quality checks,
 * so their extracts are dated too: nothing dated after their extraction day (opening, member,
 * accesso, erogazione, closure, end of membership), else the checks would see it in the future.
 * server/demo/piano.ts decides who rises, stays flat or falls; sql/queries/demo/*.sql move the rows.
 * After the last month the SIZ tables and their
 * extraction dates are exactly today's import again, and the import's own chain runs as usual.
 * Each run goes through the real reconciliation service with a clock set to its day, so the
 * figures and the forecast are computed by the same code as every night.
 */
import type { AppContext } from '../context';
import { fixedClock } from '../context';
import { runRiconciliazione } from '../riconciliazione/esecuzione';
import { runQualita } from '../qualita/esecuzione';
import { sqlStatements } from '../shared/sql';
import { addMonths, dayFromIso, isoFromDay } from '../genera/date';
import { Atteso, MESI_QUALITA, MESI_STORIA, pianoStoria, Profilo } from './piano';

/** The day of month i of the history (0 = 24 months before `oggi`); its extraction is the day before. */
export function giornoStoria(oggi: string, i: number): string {
  return isoFromDay(addMonths(dayFromIso(oggi), i - MESI_STORIA));
}

async function eseguiFile(ctx: AppContext, nome: string, params: Record<string, unknown>): Promise<void> {
  for (const s of sqlStatements('demo', nome)) await ctx.db.knex.raw(s, params as never);
}

export async function storiaDemo(ctx: AppContext, opts: { seme: number; oggi: string; atteso: readonly Atteso[] }): Promise<{ piano: Profilo[]; righe: string[] }> {
  const piano = pianoStoria(opts.seme, opts.atteso);
  const knex = ctx.db.knex;
  const estrazioni: { tabella: string; data_estrazione: string }[] = await knex('siz_tabelle').select('tabella', 'data_estrazione');
  const estrazione = (i: number) => isoFromDay(dayFromIso(giornoStoria(opts.oggi, i)) - 1);
  const giorni = Array.from({ length: MESI_STORIA }, (_, i) => estrazione(i));
  const primoQualita = MESI_STORIA - MESI_QUALITA;
  await eseguiFile(ctx, 'prepara', { seme: String(opts.seme), piano: JSON.stringify(piano), giorni: JSON.stringify(giorni), dq: giorni[primoQualita] });
  try {
    for (let i = 0; i < MESI_STORIA; i++) {
      if (i > 0) await eseguiFile(ctx, 'mese', { mese: i });
      const giorno = giornoStoria(opts.oggi, i);
      const allora: AppContext = { ...ctx, clock: fixedClock(giorno) };
      await knex('siz_tabelle').update({ data_estrazione: giorni[i] });
      await runRiconciliazione(allora, { oggi: giorno });
      if (i >= primoQualita) await runQualita(allora, { oggi: giorno });
    }
    await eseguiFile(ctx, 'mese', { mese: MESI_STORIA });
  } finally {
    for (const e of estrazioni) await knex('siz_tabelle').where({ tabella: e.tabella }).update({ data_estrazione: e.data_estrazione });
  }
  const conta = (t: Profilo['tipo']) => piano.filter((p) => p.tipo === t).length;
  return {
    piano,
    righe: [
      `Storia dimostrativa: ${MESI_STORIA} riconciliazioni mensili (dal ${giornoStoria(opts.oggi, 0)}) e ${MESI_QUALITA} controlli di qualità mensili; ${conta('salita')} comuni in crescita, ${conta('piatto')} fermi, ${conta('calo')} in calo.`,
    ],
  };
}
