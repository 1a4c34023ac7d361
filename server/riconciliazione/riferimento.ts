import type { Database } from '../db';
import { dataEstrazione } from '../importazione/estrazione';

/**
 * E for the comuni that have no census round (or not the round asked for): the round asked
 * for; else the most recent data_riferimento of the active comuni (the ambito's current round,
 * so every comune is counted at the same date); else the SIZ extraction date; else today.
 * See docs/metriche.md.
 */
export async function defaultRiferimento(db: Database, opts: { dataRiferimento?: string | null; oggi: string | null }): Promise<string> {
  if (opts.dataRiferimento) return opts.dataRiferimento;
  const [row] = await db
    .knex('censimento as s')
    .join('comuni as c', 'c.codice_istat', 's.codice_istat')
    .where('c.attivo', true)
    .max('s.data_riferimento as d');
  if (row?.d) return row.d as string;
  const d = (await dataEstrazione(db)) ?? opts.oggi;
  if (!d) throw new Error('nessun censimento e nessuna estrazione SIZ: indicare la data di oggi');
  return d;
}
