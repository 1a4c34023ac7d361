import type { Knex } from 'knex';
import type { Database } from '../db';
import { SOGLIE } from './controlli';
import { dataOra, decimale, giorno as giornoIt } from '../shared/formato';

const momento = (d: Date | string) => dataOra(d, 'Europe/Rome', false) ?? '—';
const giorno = (d: string | null) => giornoIt(d, '—');
import { sqlText } from '../shared/sql';

export type Verdetto = 'affidabile' | 'non_affidabile';

export interface VerdettoSiz {
  verdetto: Verdetto;
  /** Why it is not reliable (Italian, reasons joined by "; "); null when reliable. */
  motivo: string | null;
  data_estrazione: string | null;
  /** Rows of cartelle + prestazioni + accessi, and those with no or an unknown comune. */
  righe: number;
  righe_senza_comune: number;
  percentuale_senza_comune: number | null;
}

const pct = (n: number, d: number) => (d === 0 ? null : Math.round((10000 * n) / d) / 100);
const it = (n: number) => decimale(n);

/**
 * Import reliability verdict of the SIZ data now loaded (docs/qualita.md): `non_affidabile`
 * when no SIZ extract is loaded, when more than 5% of the rows have no or an unknown comune, or
 * when the latest SIZ import was rejected, failed or is held (sospesa) after the latest accepted
 * one. Computed live, so a rejected import shows at once, also before the next run of the checks.
 * `righe`: where the rows per code come from: counted now (`verdetto_righe`), or, inside a run of
 * the checks after its preparation, its counts (`verdetto_conteggi`: the same figures, without
 * reading the tables again).
 */
export async function computeVerdetto(knex: Knex | Knex.Transaction, righe: 'verdetto_righe' | 'verdetto_conteggi' = 'verdetto_righe'): Promise<VerdettoSiz> {
  const sql = `with righe_per_codice as (${sqlText('qualita', righe)}) ${sqlText('qualita', 'verdetto')}`;
  const r = (await knex.raw(sql)).rows[0] as {
    righe: number;
    righe_senza_comune: number;
    data_estrazione: string | null;
    fallita_id: number | null;
    fallita_esito: string | null;
    fallita_il: Date | string | null;
  };
  const motivi: string[] = [];
  const quota = pct(r.righe_senza_comune, r.righe);
  if (r.data_estrazione == null) motivi.push('nessuna estrazione SIZ caricata');
  else if (r.righe_senza_comune * 100 > SOGLIE.righeSenzaComune * r.righe) {
    motivi.push(`il ${it(quota!)}% delle righe di cartelle, prestazioni e accessi (${it(r.righe_senza_comune)} su ${it(r.righe)}) non ha un comune valido, oltre la soglia del ${SOGLIE.righeSenzaComune}%`);
  }
  if (r.fallita_id != null) {
    const come =
      r.fallita_esito === 'rifiutata'
        ? 'è stata rifiutata'
        : r.fallita_esito === 'sospesa'
          ? 'è sospesa in attesa di conferma, perché una tabella ha perso troppe righe (file troncato?)'
          : 'è fallita';
    motivi.push(`l'ultima importazione SIZ (n. ${r.fallita_id} del ${momento(r.fallita_il!)}) ${come}: i dati caricati sono quelli dell'estrazione precedente${r.data_estrazione ? ` del ${giorno(r.data_estrazione)}` : ''}`);
  }
  return {
    verdetto: motivi.length ? 'non_affidabile' : 'affidabile',
    motivo: motivi.length ? motivi.join('; ') : null,
    data_estrazione: r.data_estrazione,
    righe: r.righe,
    righe_senza_comune: r.righe_senza_comune,
    percentuale_senza_comune: quota,
  };
}

/** The verdict now, for the digest feature: hold outgoing digests when `non_affidabile`. */
export async function verdettoCorrente(db: Database): Promise<VerdettoSiz> {
  return computeVerdetto(db.knex);
}
