import type { Database } from '../db';
import { codiciDuplicati, readSmall } from './leggi';
import { ImportRejected, ProblemList } from './problemi';
import { ImportOutcome, recorded, recordImport, seVerifica } from './registro';
import { SPEC } from './schede';
import { normalizeName } from './valori';
import type { ImportOptions } from './siz';

/**
 * Registry of comuni: upsert by codice_istat; comuni missing from the file are kept (they may
 * hold history) but flagged inactive.
 */
export async function importComuni(db: Database, file: string, opts: ImportOptions = {}): Promise<ImportOutcome> {
  return recorded(db, { tipo: 'comuni', origine: file, utente: opts.utente, percorso: 'file' }, async (run) => {
    const problems = new ProblemList();
    const warnings: string[] = [];
    const { rows, checksum } = await readSmall(file, SPEC.comuni, problems, warnings, { limiti: opts.limiti });
    codiciDuplicati(rows, 'codice_istat');
    if (!problems.empty) throw ImportRejected.from(problems, warnings);
    return db.knex.transaction(async (trx) => {
      const records = rows.map(({ v }) => ({
        codice_istat: v.codice_istat,
        nome: v.nome,
        nome_norm: normalizeName(v.nome as string),
        popolazione: v.popolazione,
        distretto: v.distretto,
        email: v.email,
        attivo: true,
        aggiornato_il: new Date(),
      }));
      for (let i = 0; i < records.length; i += 500) {
        await trx('comuni').insert(records.slice(i, i + 500)).onConflict('codice_istat').merge();
      }
      const inactive = await trx('comuni').whereNotIn('codice_istat', rows.map((r) => r.v.codice_istat as string)).andWhere('attivo', true).update({ attivo: false });
      const id = await recordImport(trx, { tipo: 'comuni', origine: file, id: run.id, avviato_il: run.started, file: [{ nome: file, checksum, righe: rows.length }], esito: 'ok', righe: rows.length, avvisi: warnings, utente: opts.utente });
      const esito: ImportOutcome = {
        id,
        tipo: 'comuni',
        esito: 'ok' as const,
        messaggio: `Anagrafica comuni importata: ${rows.length} comuni${inactive ? `, ${inactive} non più nel file segnati come non attivi` : ''}.`,
        righe: { comuni: rows.length },
        avvisi: warnings,
      };
      await seVerifica(opts.verifica, trx, esito);
      return esito;
    });
  });
}

/** Resolves a comune given by code or by name (ignoring case, accents, apostrophes, spaces). */
export async function comuneResolver(db: Database): Promise<(code: string | null, name: string | null) => { istat: string } | { column: string; error: string }> {
  const all = await db.knex('comuni').select('codice_istat', 'nome', 'nome_norm');
  const byCode = new Set(all.map((c) => c.codice_istat as string));
  const byName = new Map<string, string>(all.map((c) => [c.nome_norm as string, c.codice_istat as string]));
  return (code, name) => {
    if (code) return byCode.has(code) ? { istat: code } : { column: 'codice_istat', error: `comune ${code} non presente nell'anagrafica dei comuni` };
    if (name) {
      const istat = byName.get(normalizeName(name));
      return istat ? { istat } : { column: 'comune', error: `"${name}" non corrisponde a nessun comune dell'anagrafica` };
    }
    return { column: 'codice_istat', error: 'indicare il codice ISTAT o il nome del comune' };
  };
}
