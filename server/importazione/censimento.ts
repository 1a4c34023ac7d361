import type { Database } from '../db';
import { comuneResolver } from './comuni';
import { readSmall } from './leggi';
import { ImportRejected, ProblemList } from './problemi';
import { ImportOutcome, recorded, recordImport, seVerifica } from './registro';
import { CENSUS_METRICS, SPEC } from './schede';
import type { ImportOptions } from './siz';

/**
 * Census return (CSV or XLSX): one row per comune per round, upserted by
 * (codice_istat, data_riferimento); earlier rounds are kept as history.
 */
export async function importCensimento(db: Database, file: string, opts: ImportOptions = {}): Promise<ImportOutcome> {
  return recorded(db, { tipo: 'censimento', origine: file, utente: opts.utente, percorso: 'file' }, async (run) => {
    const problems = new ProblemList();
    const warnings: string[] = [];
    const { rows, checksum } = await readSmall(file, SPEC.censimento, problems, warnings, { allowXlsx: true, sheetName: 'Censimento', limiti: opts.limiti });
    const resolve = await comuneResolver(db);
    const seen = new Map<string, number>();
    const records: Record<string, unknown>[] = [];
    for (const r of rows) {
      const res = resolve(r.v.codice_istat as string | null, r.v.comune as string | null);
      if ('error' in res) {
        r.problem(res.column, res.error);
        continue;
      }
      const E = r.v.data_riferimento as string;
      const Ps = (r.v.periodo_inizio as string | null) ?? `${E.slice(0, 4)}-01-01`;
      if (Ps > E) {
        r.problem('periodo_inizio', `inizio periodo ${Ps} successivo alla data di riferimento ${E}`);
        continue;
      }
      const key = `${res.istat}|${E}`;
      if (seen.has(key)) {
        r.problem(r.v.codice_istat ? 'codice_istat' : 'comune', `comune ${res.istat} con data di riferimento ${E} già presente alla riga ${seen.get(key)}`);
        continue;
      }
      seen.set(key, r.line);
      const rec: Record<string, unknown> = { codice_istat: res.istat, data_riferimento: E, periodo_inizio: Ps, note: r.v.note ?? null };
      for (const m of CENSUS_METRICS) rec[m] = r.v[m] ?? null;
      records.push(rec);
    }
    if (!problems.empty) throw ImportRejected.from(problems, warnings);
    return db.knex.transaction(async (trx) => {
      const id = await recordImport(trx, { tipo: 'censimento', origine: file, id: run.id, avviato_il: run.started, file: [{ nome: file, checksum, righe: rows.length }], esito: 'ok', righe: rows.length, avvisi: warnings, utente: opts.utente });
      for (let i = 0; i < records.length; i += 500) {
        const batch = records.slice(i, i + 500).map((r) => ({ ...r, importazione_id: id, importato_il: new Date() }));
        await trx('censimento').insert(batch).onConflict(['codice_istat', 'data_riferimento']).merge();
      }
      const esito: ImportOutcome = { id, tipo: 'censimento', esito: 'ok' as const, messaggio: `Censimento importato: ${records.length} comuni.`, righe: { censimento: records.length }, avvisi: warnings };
      await seVerifica(opts.verifica, trx, esito);
      return esito;
    });
  });
}
