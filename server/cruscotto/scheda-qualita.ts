import type { AppContext } from '../context';
import { findings, latestSummary } from '../qualita/service';
import { controllo, nomeControllo } from '../qualita/controlli';
import { Riservatezza } from '../web/suppression';
import type { Indicatore } from './documento';
import type { Visibilita } from './nodi';
import type { BaseScheda } from './scheda-base';
import { col, ordinaPerMostrato, Riga, Tabella } from './tabella';
import { numIt } from './testi';

/** Data quality: the score for the headline, the main checks and, for the UdP, the first findings with their record ids. */
export async function qualitaComune(ctx: AppContext, { istat, proprioPieno }: BaseScheda, v: Visibilita): Promise<{ indicatore: Indicatore; tabelle: Tabella[] }> {
  const q = await latestSummary(ctx.db);
  const qc = q?.comuni.find((c) => c.codice_istat === istat) ?? null;
  const Rq = new Riservatezza(!proprioPieno);
  const controlli = Object.entries(qc?.controlli ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  for (const [id, n] of controlli) Rq.cella(id, n);
  // Records with errors are records of cases: the same rule, and the score built on them.
  if (qc) Rq.cella('record_con_errori', qc.record_con_errori);
  const eq = Rq.risolvi();
  const punteggio = qc ? eq.derivato(qc.punteggio, ['record_con_errori']) : null;
  const conErrori = qc ? eq.valore('record_con_errori') : null;
  const tabelle: Tabella[] = [
    {
      id: 'qualita',
      titolo: `Qualità dei dati: ${typeof punteggio === 'number' ? `${numIt(punteggio)}% dei record senza errori` : qc ? 'punteggio riservato' : 'controlli non ancora eseguiti'}`,
      nota: qc ? `${qc.record} record controllati, ${conErrori === '<3' ? 'meno di 3' : conErrori} con almeno un errore.` : undefined,
      colonne: [col('controllo', 'Controllo', 'testo'), col('gravita', 'Gravità', 'testo'), col('segnalazioni', 'Segnalazioni')],
      // The first 8 by the shown count, hidden counts last by code (docs/riservatezza.md).
      righe: ordinaPerMostrato(
        controlli.map(([id]) => ({ codice_controllo: id, controllo: nomeControllo(id), gravita: controllo(id)?.gravita ?? null, segnalazioni: eq.valore(id) }) as Riga),
        (x) => x.segnalazioni,
        (x) => String(x.codice_controllo),
      ).slice(0, 8),
    },
  ];
  if (v.udp) {
    const top = await findings(ctx.db, { comune: istat, limit: 10 });
    tabelle.push({
      id: 'segnalazioni',
      titolo: 'Prime segnalazioni (solo Ufficio di Piano)',
      colonne: [col('controllo', 'Controllo', 'testo'), col('tabella', 'Tabella SIZ', 'testo'), col('id_record', 'Record', 'testo'), col('messaggio', 'Segnalazione', 'testo'), col('nuovo', 'Nuova', 'testo')],
      righe: top.map((x) => ({ codice_controllo: x.controllo, controllo: nomeControllo(x.controllo), tabella: x.tabella, id_record: x.id_record, messaggio: x.messaggio, nuovo: x.nuovo ? 'sì' : 'no' })),
    });
  }
  return { indicatore: { chiave: 'qualita', etichetta: 'Qualità dei dati (record senza errori)', valore: punteggio, tipo: 'percentuale' }, tabelle };
}
