import type { Database } from '../db';
import { controllo } from './controlli';
import { ComuneSel, findings } from './letture';

const HEADER = ['Codice ISTAT', 'Comune', 'Gravità', 'Controllo', 'Descrizione del controllo', 'Tabella SIZ', 'Record', 'Segnalazione', 'Valore', 'Nuova'];

/** Quotes a field for `;` CSV; text starting with = + - @ is prefixed with ' so Excel never runs it. */
function field(v: string | number | null, text = true): string {
  if (v == null) return '';
  let s = typeof v === 'number' ? v.toLocaleString('it-IT', { useGrouping: false, maximumFractionDigits: 2 }) : v;
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The findings of one comune in the latest run, as the CSV an office clerk sends to the comune:
 * `;`-separated, CRLF, UTF-8 with BOM (Excel opens it with the accents right), Italian headers
 * and decimal commas. Only record ids and generic messages: no personal data.
 */
export async function findingsCsv(db: Database, comune: ComuneSel): Promise<string> {
  const rows = await findings(db, { comune });
  const nome = comune === 'non_attribuito' ? 'Non attribuito' : ((await db.knex('comuni').where({ codice_istat: comune }).first('nome'))?.nome ?? '');
  const lines = [HEADER.join(';')];
  for (const r of rows) {
    lines.push(
      [
        field(r.codice_istat ?? ''),
        field(nome),
        field(r.gravita),
        field(r.controllo),
        field(controllo(r.controllo)?.descrizione ?? ''),
        field(r.tabella),
        field(r.id_record),
        field(r.messaggio),
        field(r.valore, false),
        field(r.nuovo ? 'sì' : 'no'),
      ].join(';'),
    );
  }
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}
