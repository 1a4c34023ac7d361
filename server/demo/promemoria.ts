/**
 * The demo's past reminders (issue 20): the promemoria job replayed on four past days, a week
 * apart (all after the last monthly run of the history, whose figures the reminders quote), so the deadline board and the outbox show reminders already sent and some already
 * acknowledged (presa visione) by the comune, as after a few weeks of use.
 *
 * The demo has no SMTP server, and its addresses are reserved `.example` ones that no server
 * would accept: for these past days only, the messages are handed to a transport that accepts
 * them without sending anything, as the office's SMTP server did then. From today on the demo
 * queues its mail as usual (SMTP_URL unset: nothing leaves, /posta shows it).
 */
import type { AppContext } from '../context';
import { fixedClock } from '../context';
import { runPromemoria } from '../promemoria/service';
import { linkPresaVisione, registraPresaVisione } from '../promemoria/presa-visione';
import { dayFromIso, isoFromDay } from '../genera/date';

/** Days before `oggi` on which the reminders job is replayed. */
export const GIORNI_PROMEMORIA = [28, 21, 14, 7];

/** The accepting transport of the past days (see the top comment). */
const consegnaPassata = { send: async () => undefined };

export async function promemoriaDemo(ctx: AppContext, oggi: string): Promise<string[]> {
  const knex = ctx.db.knex;
  let inviati = 0;
  for (const g of GIORNI_PROMEMORIA) {
    const giorno = isoFromDay(dayFromIso(oggi) - g);
    const passato: AppContext = { ...ctx, clock: fixedClock(giorno), mailer: consegnaPassata };
    const esito = await runPromemoria(passato, { oggi: giorno });
    inviati += esito.consegna.inviati;
    // The outbox stamps creato_il with the database's clock: the replayed day's instead.
    await knex('posta').where('creato_il', '>', passato.clock.now()).update({ creato_il: passato.clock.now() });
  }
  // A comune out of three (by deadline) confirms each reminder it got, two days after it.
  const righe: { chiave: string; inviato_il: Date | string; scadenza_id: number }[] = await knex('posta')
    .where({ tipo: 'promemoria', stato: 'inviato' })
    .whereRaw('scadenza_id % 3 = 0')
    .orderBy('id')
    .select('chiave', 'inviato_il', 'scadenza_id');
  let viste = 0;
  for (const r of righe) {
    const quando = new Date(new Date(r.inviato_il).getTime() + 2 * 86_400_000);
    if (quando.toISOString().slice(0, 10) >= oggi) continue;
    const token = (await linkPresaVisione(ctx, r.chiave, new Date(r.inviato_il))).url.split('/').pop()!;
    const esito = await registraPresaVisione({ ...ctx, clock: { now: () => quando, today: () => quando.toISOString().slice(0, 10) } }, token);
    if (esito.esito === 'registrata') viste++;
  }
  return [`Promemoria dimostrativi: ${inviati} inviati nelle ultime quattro settimane, ${viste} prese visione.`];
}
