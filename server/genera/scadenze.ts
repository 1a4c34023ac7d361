/**
 * The deadlines plan (data contract section 6): a `caricamento` deadline for most comuni
 * with a census (from a month ago to six months ahead, so reminders before and after the
 * deadline both have something to do), plus a few census and credentials deadlines.
 */
import path from 'node:path';
import { Contesto } from './contesto';
import { CsvWriter } from './csv-writer';
import { slug } from './nomi';
import { Rng } from './rng';
import { EsitoCensimento } from './censimento';

export const HEADER_SCADENZE = ['codice_istat', 'tipo', 'data_scadenza', 'obiettivo', 'descrizione', 'email'];

export async function scriviScadenze(contesto: Contesto, dir: string, cens: EsitoCensimento): Promise<number> {
  const rng = new Rng(contesto.seme, 'scadenze');
  const righe: [string, string, number, string, string, string][] = [];
  const senza = new Set(cens.senzaCensimento);
  const scala = contesto.comuni.length / 61;
  for (const c of contesto.comuni) {
    if (senza.has(c.istat) || !rng.chance(0.88)) continue;
    const obiettivo = rng.weighted([['80', 70], ['', 25], ['75', 3], ['90', 2]] as const);
    const email = rng.chance(0.1) ? `responsabile.sociale@comune-${slug(c.nome)}.example` : '';
    righe.push([c.istat, 'caricamento', contesto.oggi + rng.int(-30, 180), obiettivo, "Raggiungere l'obiettivo di digitalizzazione: cartelle sociali caricate in SIZ", email]);
  }
  for (const istat of cens.senzaCensimento.slice(0, Math.max(1, Math.round(cens.senzaCensimento.length * 0.6)))) {
    righe.push([istat, 'censimento', contesto.oggi + rng.int(10, 60), '', 'Restituire il censimento delle cartelle sociali e degli utenti in carico', '']);
  }
  for (const c of rng.shuffle(contesto.comuni).slice(0, Math.max(3, Math.round(4 * scala)))) {
    righe.push([c.istat, 'credenziali', contesto.oggi + rng.int(-10, 90), '', "Aggiornare l'elenco degli operatori abilitati a SIZ", '']);
  }
  for (const istat of cens.sopraDichiarato) {
    righe.push([istat, 'altro', contesto.oggi + rng.int(15, 45), '', 'Verificare il censimento: SIZ contiene più cartelle di quelle dichiarate', '']);
  }
  // One row per (comune, tipo, data): the import's upsert key.
  const visti = new Set<string>();
  righe.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[2] - b[2]));
  const w = new CsvWriter(path.join(dir, 'scadenze.csv'), HEADER_SCADENZE, contesto.par.delim);
  for (const [istat, tipo, giorno, obiettivo, descrizione, email] of righe) {
    const k = `${istat}|${tipo}|${giorno}`;
    if (visti.has(k)) continue;
    visti.add(k);
    w.row([istat, tipo, contesto.fmt.data(giorno), obiettivo, descrizione, email]);
  }
  await w.close();
  return w.rows;
}
