import type { Database } from '../../server/db';
import { seedComuni } from '../support/fixtures';
import { cartella, importa, operatore, persona, Riga, T0, T1 } from './helpers';

/**
 * A small ambito with one case per situation the matching must get right:
 *
 * - C1 (OP1, e-mail): Mario holds the case; his wife Anna is in no cartella. At T1 a baby is
 *   born into their household F1 -> alarm on C1 although the baby is in no cartella.
 * - C2 (OP2): Giulia's cartella was closed before T1; she dies -> no alarm.
 * - C3 (OP2, e-mail): Piero holds the case; his adult son Marco leaves household F3 for F4 at a
 *   new address -> two variations (famiglia, indirizzo), each an alarm on C3 through the T0
 *   household.
 * - C4 (OP3, no e-mail): Elsa dies -> alarm with the task, in-app only.
 * - C5 (no operatore): Bruno emigrates -> alarm listed to the UdP.
 * - C6 (OP1): Carla's membership ended before T0; she changes address -> no alarm. Mario is a
 *   member of C6 too, so the birth is a second alarm, on C6 (one per variation and cartella).
 * - Dario, in no cartella and with no case in his household, changes address -> variation only.
 */
export const P = {
  mario: persona('Rossi', 'Mario', '1980-01-01'),
  anna: persona('Bianchi', 'Anna', '1982-05-20', 'F'),
  bimbo: persona('Rossi', 'Luca', '2026-11-15'),
  giulia: persona('Neri', 'Giulia', '1935-03-03', 'F'),
  piero: persona('Verdi', 'Piero', '1960-02-02'),
  marco: persona('Verdi', 'Marco', '1995-09-09'),
  elsa: persona('Galli', 'Elsa', '1940-04-04', 'F'),
  bruno: persona('Conti', 'Bruno', '1970-07-07'),
  carla: persona('Ferri', 'Carla', '1988-08-08', 'F'),
  dario: persona('Moro', 'Dario', '1975-05-05'),
};

export const T0_RIGHE: Riga[] = [
  { p: P.mario, famiglia: 'F1', indirizzo: 'Via Roma 1' },
  { p: P.anna, famiglia: 'F1', indirizzo: 'Via Roma 1' },
  { p: P.giulia, famiglia: 'F2', indirizzo: 'Via Verdi 2' },
  { p: P.piero, famiglia: 'F3', indirizzo: 'Corso Milano 3' },
  { p: P.marco, famiglia: 'F3', indirizzo: 'Corso Milano 3' },
  { p: P.elsa, famiglia: 'F5', indirizzo: 'Via Dante 5' },
  { p: P.bruno, famiglia: 'F6', indirizzo: 'Via Po 6' },
  { p: P.carla, famiglia: 'F7', indirizzo: 'Via Adda 7' },
  { p: P.dario, famiglia: 'F8', indirizzo: 'Via Lambro 8' },
];

export const T1_RIGHE: Riga[] = [
  { p: P.mario, famiglia: 'F1', indirizzo: 'Via Roma 1' },
  { p: P.anna, famiglia: 'F1', indirizzo: 'Via Roma 1' },
  { p: P.bimbo, famiglia: 'F1', indirizzo: 'Via Roma 1' },
  { p: P.giulia, famiglia: 'F2', indirizzo: 'Via Verdi 2', stato: 'deceduto', evento: '2026-11-20' },
  { p: P.piero, famiglia: 'F3', indirizzo: 'Corso Milano 3' },
  { p: P.marco, famiglia: 'F4', indirizzo: 'Via Nuova 4' },
  { p: P.elsa, famiglia: 'F5', indirizzo: 'Via Dante 5', stato: 'deceduto', evento: '2026-11-21' },
  { p: P.bruno, famiglia: 'F6', indirizzo: 'Via Po 6', stato: 'emigrato', evento: '2026-11-21' },
  { p: P.carla, famiglia: 'F7', indirizzo: 'Via Brembo 70' },
  { p: P.dario, famiglia: 'F8', indirizzo: 'Via Ticino 80' },
];

/** The personal data that must never appear in an e-mail. */
export const DATI_PERSONALI = [
  ...new Set([...Object.values(P).flatMap((p) => [p.cf, p.cognome, p.nome]), ...[...T0_RIGHE, ...T1_RIGHE].map((r) => r.indirizzo as string)]),
];

export async function seedScenario(db: Database, opts: { importa?: boolean } = {}): Promise<void> {
  await seedComuni(db);
  await operatore(db, 'OP1', 'op1@servizi.example');
  await operatore(db, 'OP2', 'op2@servizi.example');
  await operatore(db, 'OP3', null);
  await cartella(db, { id: 'C1', operatore: 'OP1', membri: [{ p: P.mario }] });
  await cartella(db, { id: 'C2', operatore: 'OP2', chiusura: '2026-11-01', membri: [{ p: P.giulia }] });
  await cartella(db, { id: 'C3', operatore: 'OP2', membri: [{ p: P.piero }] });
  await cartella(db, { id: 'C4', operatore: 'OP3', membri: [{ p: P.elsa }] });
  await cartella(db, { id: 'C5', operatore: null, membri: [{ p: P.bruno }] });
  await cartella(db, { id: 'C6', operatore: 'OP1', membri: [{ p: P.mario, inizio: '2025-02-01' }, { p: P.carla, fine: '2026-10-01' }] });
  if (opts.importa !== false) {
    await importa(db, T0, T0_RIGHE);
    await importa(db, T1, T1_RIGHE);
  }
}
