import type { AppContext } from '../context';
import { chiaviPresenti, deliverPending, DeliveryResult, enqueue, NewMessage, ritiraPromemoria } from '../posta/outbox';
import { listScadenze, Scadenza } from '../scadenze/service';
import { renderPromemoria } from './contenuto';
import { Occasione, ultimaOccasione } from '../scadenze/occasioni';
import { linkPresaVisione } from './presa-visione';
import { scadenzeGiriAperti } from '../censimento/giri';

/**
 * The daily reminder job (docs/promemoria.md, "Promemoria"). For every open deadline that is
 * not met: the latest occasion due today or earlier is enqueued once per recipient (the outbox
 * key makes a re-run, a second instance or a catch-up after downtime add nothing); pending
 * reminders of deadlines met or closed in the meantime are withdrawn; then the outbox is sent.
 */
export interface EsitoPromemoria {
  scadenze_aperte: number;
  raggiunte: number;
  senza_destinatari: number;
  accodati: number;
  ritirati: number;
  consegna: DeliveryResult;
}

export function chiavePromemoria(scadenzaId: number, occasione: string, destinatario: string): string {
  return `promemoria:${scadenzaId}:${occasione}:${destinatario.toLowerCase()}`;
}

export function riferimentoPromemoria(s: Pick<Scadenza, 'id'>, o: Occasione): string {
  return `scadenza ${s.id}, ${o.giorni} ${o.giorni === 1 ? 'giorno' : 'giorni'} ${o.quando}`;
}

export async function runPromemoria(ctx: AppContext, opts: { oggi?: string } = {}): Promise<EsitoPromemoria> {
  const oggi = opts.oggi ?? ctx.clock.today();
  const now = ctx.clock.now();
  const scadenze = await listScadenze(ctx, { oggi });
  const aperte = scadenze.filter((s) => !s.chiusa && !s.raggiunta && s.comune_attivo);
  const finite = scadenze.filter((s) => s.chiusa || s.raggiunta);

  const ritirati =
    (await ritiraPromemoria(ctx.db.knex, finite.filter((s) => s.raggiunta).map((s) => s.id), 'ritirato: la scadenza è stata raggiunta prima dell\'invio')) +
    (await ritiraPromemoria(ctx.db.knex, finite.filter((s) => !s.raggiunta).map((s) => s.id), "ritirato: la scadenza è stata chiusa dall'Ufficio di Piano prima dell'invio"));

  const due: { s: Scadenza; o: Occasione; to: string; chiave: string }[] = [];
  let senza = 0;
  for (const s of aperte) {
    const o = ultimaOccasione(s.data_scadenza, ctx.config.promemoriaGiorni, oggi);
    if (!o) continue;
    if (!s.destinatari.length) {
      senza++;
      ctx.log.warn({ scadenza: s.id, codice_istat: s.codice_istat }, 'promemoria senza destinatari: nessun indirizzo per la scadenza né per il comune');
      continue;
    }
    for (const to of s.destinatari) due.push({ s, o, to, chiave: chiavePromemoria(s.id, o.data, to) });
  }

  // Render only what is not in the outbox yet (a re-run the same day finds everything there).
  const present = await chiaviPresenti(ctx.db.knex, due.map((d) => d.chiave));
  const msgs: NewMessage[] = [];
  // Deadlines of an open online census round: the reminder links the comune's form too.
  const conModulo = await scadenzeGiriAperti(ctx);
  for (const d of due.filter((x) => !present.has(x.chiave))) {
    const pv = await linkPresaVisione(ctx, d.chiave, now);
    const modulo = conModulo.has(d.s.id) ? `${ctx.config.baseUrl}/censimento/comuni/${d.s.codice_istat}` : null;
    const email = renderPromemoria(d.s, oggi, { scheda: `${ctx.config.baseUrl}/comuni/${d.s.codice_istat}`, modulo, presa_visione: pv.url, presa_visione_scade: pv.scade_il });
    msgs.push({
      tipo: 'promemoria',
      chiave: d.chiave,
      destinatario: d.to,
      oggetto: email.oggetto,
      testo: email.testo,
      html: email.html,
      codice_istat: d.s.codice_istat,
      riferimento: riferimentoPromemoria(d.s, d.o),
      scadenza_id: d.s.id,
    });
  }
  const accodati = await enqueue(ctx.db.knex, msgs);
  const consegna = await deliverPending(ctx);
  return { scadenze_aperte: aperte.length, raggiunte: scadenze.filter((s) => s.raggiunta).length, senza_destinatari: senza, accodati, ritirati, consegna };
}
