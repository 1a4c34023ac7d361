import type { Database } from '../db';
import { comuneResolver } from './comuni';
import { readSmall } from './leggi';
import { ImportRejected, ProblemList } from './problemi';
import { ImportOutcome, recorded, recordImport, seVerifica } from './registro';
import { SPEC } from './schede';
import type { ImportOptions } from './siz';

/** Deadlines plan: upsert by (codice_istat, tipo, data_scadenza). */
export async function importScadenze(db: Database, file: string, opts: ImportOptions = {}): Promise<ImportOutcome> {
  return recorded(db, { tipo: 'scadenze', origine: file, utente: opts.utente, percorso: 'file' }, async (run) => {
    const problems = new ProblemList();
    const warnings: string[] = [];
    const { rows, checksum } = await readSmall(file, SPEC.scadenze, problems, warnings, { limiti: opts.limiti });
    const resolve = await comuneResolver(db);
    const seen = new Map<string, number>();
    const recs: Record<string, unknown>[] = [];
    for (const r of rows) {
      const res = resolve(r.v.codice_istat as string | null, r.v.comune as string | null);
      if ('error' in res) {
        r.problem(res.column, res.error);
        continue;
      }
      const key = `${res.istat}|${r.v.tipo}|${r.v.data_scadenza}`;
      if (seen.has(key)) {
        r.problem('data_scadenza', `scadenza duplicata: già presente alla riga ${seen.get(key)}`);
        continue;
      }
      seen.set(key, r.line);
      recs.push({ codice_istat: res.istat, tipo: r.v.tipo, data_scadenza: r.v.data_scadenza, obiettivo: r.v.obiettivo ?? null, descrizione: r.v.descrizione ?? null, email: r.v.email ?? null, aggiornata_il: new Date() });
    }
    if (!problems.empty) throw ImportRejected.from(problems, warnings);
    return db.knex.transaction(async (trx) => {
      for (let i = 0; i < recs.length; i += 500) {
        await trx('scadenze').insert(recs.slice(i, i + 500)).onConflict(['codice_istat', 'tipo', 'data_scadenza']).merge(['obiettivo', 'descrizione', 'email', 'aggiornata_il']);
      }
      const id = await recordImport(trx, { tipo: 'scadenze', origine: file, id: run.id, avviato_il: run.started, file: [{ nome: file, checksum, righe: rows.length }], esito: 'ok', righe: rows.length, avvisi: warnings, utente: opts.utente });
      const esito: ImportOutcome = { id, tipo: 'scadenze', esito: 'ok' as const, messaggio: `Piano delle scadenze importato: ${recs.length} scadenze.`, righe: { scadenze: recs.length }, avvisi: warnings };
      await seVerifica(opts.verifica, trx, esito);
      return esito;
    });
  });
}
