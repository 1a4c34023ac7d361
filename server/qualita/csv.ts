import type { Database } from '../db';
import { controllo } from './controlli';
import { toCsv } from '../web/csv';
import { ComuneSel, findings } from './letture';

const HEADER = ['Codice ISTAT', 'Comune', 'Gravità', 'Controllo', 'Descrizione del controllo', 'Tabella SIZ', 'Record', 'Segnalazione', 'Valore', 'Nuova'];

/**
 * The findings of one comune in the latest run, as the CSV an office clerk sends to the comune:
 * `;`-separated, CRLF, UTF-8 with BOM (Excel opens it with the accents right), Italian headers
 * and decimal commas. Only record ids and generic messages: no personal data.
 */
export async function findingsCsv(db: Database, comune: ComuneSel): Promise<string> {
  const rows = await findings(db, { comune });
  const nome = comune === 'non_attribuito' ? 'Non attribuito' : ((await db.knex('comuni').where({ codice_istat: comune }).first('nome'))?.nome ?? '');
  return toCsv(
    HEADER,
    rows.map((r) => [r.codice_istat ?? '', nome, r.gravita, r.controllo, controllo(r.controllo)?.descrizione ?? '', r.tabella, r.id_record, r.messaggio, r.valore, r.nuovo]),
  );
}
