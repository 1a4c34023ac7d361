import type { Database } from '../db';
import { codiciDuplicati, readSmall } from './leggi';
import { ImportRejected, ProblemList } from './problemi';
import { ImportOutcome, recorded, recordImport, seVerifica } from './registro';
import { SPEC } from './schede';
import type { ImportOptions } from './siz';

/** Replaces the whole nomenclature table (codes, descriptions, pasti_trasporti flag). */
export async function importNomenclatore(db: Database, file: string, opts: ImportOptions = {}): Promise<ImportOutcome> {
  return recorded(db, { tipo: 'nomenclatore', origine: file, utente: opts.utente, percorso: 'file' }, async (run) => {
    const problems = new ProblemList();
    const warnings: string[] = [];
    const { rows, checksum } = await readSmall(file, SPEC.nomenclatore, problems, warnings, { limiti: opts.limiti });
    codiciDuplicati(rows, 'codice');
    if (!problems.empty) throw ImportRejected.from(problems, warnings);
    return db.knex.transaction(async (trx) => {
      await trx('nomenclatore').del();
      const recs = rows.map(({ v }) => ({ codice: v.codice, descrizione: v.descrizione, macro_area: v.macro_area, pasti_trasporti: v.pasti_trasporti ?? false }));
      for (let i = 0; i < recs.length; i += 500) await trx('nomenclatore').insert(recs.slice(i, i + 500));
      const id = await recordImport(trx, { tipo: 'nomenclatore', origine: file, id: run.id, avviato_il: run.started, file: [{ nome: file, checksum, righe: rows.length }], esito: 'ok', righe: rows.length, avvisi: warnings, utente: opts.utente });
      const esito: ImportOutcome = { id, tipo: 'nomenclatore', esito: 'ok' as const, messaggio: `Nomenclatore sostituito: ${recs.length} codici.`, righe: { nomenclatore: recs.length }, avvisi: warnings };
      await seVerifica(opts.verifica, trx, esito);
      return esito;
    });
  });
}
