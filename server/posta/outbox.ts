import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { AppContext } from '../context';
import { describeSmtpError, ErroreInvio, Mailer, mailerFor } from './mailer';

/**
 * The outbox (docs/promemoria.md, "Posta"). Every message is a row per recipient; sending is
 * a separate step that claims one row at a time, so a retry only ever concerns the rows that
 * failed, and two instances never send the same row.
 */
export type TipoMessaggio = 'promemoria' | 'riepilogo' | 'variazioni' | 'allerta' | 'invito' | 'reimpostazione' | 'censimento';
export const TIPI_MESSAGGIO: TipoMessaggio[] = ['promemoria', 'riepilogo', 'variazioni', 'allerta', 'invito', 'reimpostazione', 'censimento'];

/**
 * Messages carrying a personal one-time link (server/account/token.ts): the office reading the
 * outbox must not be able to use it, so the link is hidden on /posta and removed from the stored
 * text once the message has left.
 */
export const TIPI_CON_LINK_PERSONALE: TipoMessaggio[] = ['invito', 'reimpostazione'];
const LINK_PERSONALE = /\/account\/imposta\/[A-Za-z0-9_-]+/g;
export const LINK_NASCOSTO = '/account/imposta/[link personale, non mostrato]';

export function nascondiLink(tipo: string, testo: string): string {
  return (TIPI_CON_LINK_PERSONALE as string[]).includes(tipo) ? testo.replace(LINK_PERSONALE, LINK_NASCOSTO) : testo;
}

export type StatoMessaggio = 'in_attesa' | 'invio' | 'inviato' | 'fallito' | 'scartato';

export interface NewMessage {
  tipo: TipoMessaggio;
  /** Idempotency key: unique per (occasion, recipient). A second enqueue of it is ignored. */
  chiave: string;
  destinatario: string;
  oggetto: string;
  testo: string;
  html: string;
  codice_istat?: string | null;
  riferimento?: string | null;
  /** The deadline a reminder is about (the board counts reminders per deadline). */
  scadenza_id?: number | null;
}

/** Attempts before a message is given up (`scartato`). */
export const MAX_TENTATIVI = 10;
/** Wait after the n-th failed attempt: 10 min * 2^(n-1), at most 12 h (about 45 h in all). */
export const ATTESA_BASE_MS = 10 * 60_000;
export const ATTESA_MAX_MS = 12 * 3_600_000;
/**
 * How long a claimed row (`invio`) belongs to its sender. A send is bounded by the transport's
 * timeouts (SMTP_TIMEOUT, at most 10 minutes, on each of a few steps), so a row still `invio`
 * after this is one whose sender died.
 */
export const DURATA_INVIO_MS = 15 * 60_000;

export const ESITO_INCERTO =
  "esito incerto: l'invio è stato interrotto (riavvio o arresto del servizio) dopo aver contattato il server di posta; " +
  'il messaggio potrebbe essere già arrivato e non viene rinviato automaticamente per non duplicarlo. Verificare con il destinatario e, se necessario, usare "Reinvia".';

/** `ultimo_errore` of a message the server refused for good (a 5xx to its recipient or data). */
export const RIFIUTO_PERMANENTE = 'rifiutato dal server di posta (errore permanente: non viene ritentato; correggere l\'indirizzo e usare "Reinvia")';

/** `ultimo_errore` of a message handed over whole, whose connection dropped before the answer. */
export const ESITO_INCERTO_CONNESSIONE =
  "esito incerto: il messaggio è stato trasmesso per intero al server di posta ma la connessione si è interrotta prima della sua conferma; " +
  'potrebbe essere già arrivato e non viene rinviato automaticamente per non duplicarlo. Verificare con il destinatario e, se necessario, usare "Reinvia"';

export function attesaDopo(tentativi: number): number {
  return Math.min(ATTESA_BASE_MS * 2 ** Math.max(0, tentativi - 1), ATTESA_MAX_MS);
}

/** Stable Message-ID from the key: the same message always has the same id. */
export function messageIdFor(chiave: string, host = 'cruscotto.local'): string {
  return `<${crypto.createHash('sha256').update(chiave).digest('hex').slice(0, 32)}@${host}>`;
}

/** Inserts the messages; returns how many were new (a duplicate `chiave` is silently ignored). */
/** Which of these keys are already in the outbox (a message is queued once per key): for a re-run. */
export async function chiaviPresenti(knex: Knex | Knex.Transaction, chiavi: string[]): Promise<Set<string>> {
  const presenti = new Set<string>();
  for (let i = 0; i < chiavi.length; i += 500) {
    for (const r of await knex('posta').whereIn('chiave', chiavi.slice(i, i + 500)).select('chiave')) presenti.add(r.chiave as string);
  }
  return presenti;
}

export async function enqueue(knex: Knex | Knex.Transaction, msgs: NewMessage[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < msgs.length; i += 200) {
    const rows = msgs.slice(i, i + 200).map((m) => {
      if (!TIPI_MESSAGGIO.includes(m.tipo)) throw new Error(`tipo di messaggio non valido: "${m.tipo}"`);
      if (!m.chiave || !m.destinatario.trim()) throw new Error('messaggio senza chiave o senza destinatario');
      return {
        tipo: m.tipo,
        chiave: m.chiave,
        destinatario: m.destinatario.trim(),
        oggetto: m.oggetto,
        testo: m.testo,
        html: m.html,
        codice_istat: m.codice_istat ?? null,
        riferimento: m.riferimento ?? null,
        scadenza_id: m.scadenza_id ?? null,
        message_id: messageIdFor(m.chiave),
      };
    });
    const res = (await knex('posta').insert(rows).onConflict('chiave').ignore().returning('id')) as unknown[];
    inserted += res.length;
  }
  return inserted;
}

interface ClaimedRow {
  id: number;
  chiave: string;
  destinatario: string;
  oggetto: string;
  testo: string;
  html: string;
  tentativi: number;
  message_id: string | null;
}

/**
 * Claims the oldest sendable row for this sender, atomically: rows locked by another sender are
 * skipped, and a row another sender claimed in the meantime no longer matches the condition.
 */
async function claimOne(knex: Knex, now: Date): Promise<ClaimedRow | null> {
  const res = await knex.raw(
    `update posta set stato = 'invio', tentativi = tentativi + 1, in_invio_dal = ?
     where id = (
       select id from posta
       where stato in ('in_attesa', 'fallito') and (prossimo_tentativo is null or prossimo_tentativo <= ?)
       order by id
       limit 1
       for update skip locked)
     and stato in ('in_attesa', 'fallito')
     returning id, chiave, destinatario, oggetto, testo, html, tentativi, message_id`,
    [now, now],
  );
  return (res.rows[0] as ClaimedRow | undefined) ?? null;
}

/**
 * Rows left `invio` beyond the lease: the sender died between claiming and recording. The SMTP
 * server may or may not have accepted the message, and nothing can tell which. We choose not to
 * send it again (no duplicate) and to show it to the office as `scartato` with the reason, from
 * where it can be resent by hand (docs/promemoria.md, "Crash tra invio e registrazione").
 */
async function settleAbandoned(knex: Knex, now: Date): Promise<number> {
  const res = await knex.raw(
    `update posta set stato = 'scartato', ultimo_errore = ?, in_invio_dal = null, prossimo_tentativo = null
     where stato = 'invio' and in_invio_dal < ?
     returning id`,
    [ESITO_INCERTO, new Date(now.getTime() - DURATA_INVIO_MS)],
  );
  return res.rows.length;
}

export interface DeliveryResult {
  inviati: number;
  falliti: number;
  scartati: number;
}

/**
 * Sends every message that is due, with as many senders as SMTP_CONNESSIONI, each claiming one
 * row at a time through one pooled transport (built for this pass, closed at its end). With
 * SMTP_URL unset nothing is touched: the messages stay `in_attesa` and the office reads them on
 * /posta.
 */
export async function deliverPending(ctx: AppContext, opts: { now?: Date; max?: number } = {}): Promise<DeliveryResult> {
  const out: DeliveryResult = { inviati: 0, falliti: 0, scartati: 0 };
  const mailer = mailerFor(ctx);
  if (!mailer) return out;
  try {
    const knex = ctx.db.knex;
    const clock = () => opts.now ?? ctx.clock.now();
    out.scartati += await settleAbandoned(knex, clock());
    const host = new URL(ctx.config.baseUrl).hostname || 'cruscotto.local';
    let daPrendere = opts.max ?? 5000;
    const mittente = async () => {
      while (daPrendere-- > 0) {
        const row = await claimOne(knex, clock());
        if (!row) return;
        out[await deliverOne(ctx, mailer, row, clock, host)]++;
      }
    };
    await Promise.all(Array.from({ length: ctx.config.smtpConnessioni }, mittente));
  } finally {
    mailer.close();
  }
  return out;
}

/**
 * One claimed row: sent, then recorded at once (`inviato`), or recorded with what the failure
 * means (mailer.ts, tipoErrore): a permanent refusal and an uncertain outcome are `scartato`
 * with the reason, for the office to see on /posta; anything else is retried with backoff.
 */
async function deliverOne(ctx: AppContext, mailer: Mailer, row: ClaimedRow, clock: () => Date, host: string): Promise<keyof DeliveryResult> {
  const knex = ctx.db.knex;
  try {
    await mailer.send({
      from: ctx.config.mailFrom,
      to: row.destinatario,
      subject: row.oggetto,
      text: row.testo,
      html: row.html,
      messageId: row.message_id ?? messageIdFor(row.chiave, host),
      date: clock(),
    });
  } catch (e) {
    const err = e instanceof ErroreInvio ? e : new ErroreInvio('temporaneo', describeSmtpError(e), { cause: e });
    const settle = (stato: 'scartato' | 'fallito', ultimo_errore: string, prossimo: Date | null) =>
      knex('posta').where({ id: row.id, stato: 'invio' }).update({ stato, ultimo_errore, in_invio_dal: null, prossimo_tentativo: prossimo });
    ctx.log.warn({ posta: row.id, tentativi: row.tentativi, tipo: err.tipo, errore: err.motivo }, 'invio non riuscito');
    if (err.tipo === 'permanente') {
      await settle('scartato', `${RIFIUTO_PERMANENTE}: ${err.motivo}`, null);
      return 'scartati';
    }
    if (err.tipo === 'incerto') {
      await settle('scartato', `${ESITO_INCERTO_CONNESSIONE} (${err.motivo})`, null);
      return 'scartati';
    }
    if (row.tentativi >= MAX_TENTATIVI) {
      await settle('scartato', `scartato dopo ${row.tentativi} tentativi; ultimo errore: ${err.motivo}`, null);
      return 'scartati';
    }
    await settle('fallito', err.motivo, new Date(clock().getTime() + attesaDopo(row.tentativi)));
    return 'falliti';
  }
  // The server's acceptance is recorded before anything else. Also when another instance
  // already settled the row as abandoned: it did arrive.
  await knex('posta')
    .where('id', row.id)
    .whereIn('stato', ['invio', 'scartato'])
    .update({ stato: 'inviato', inviato_il: clock(), ultimo_errore: null, in_invio_dal: null, prossimo_tentativo: null });
  // Gone: a personal link is kept nowhere (TIPI_CON_LINK_PERSONALE).
  await knex('posta')
    .where('id', row.id)
    .whereIn('tipo', TIPI_CON_LINK_PERSONALE)
    .update({ testo: nascondiLink('invito', row.testo), html: nascondiLink('invito', row.html) });
  return 'inviati';
}

/** Puts a failed or abandoned message back in the queue (the office's "Reinvia"). */
export async function reinvia(knex: Knex, id: number): Promise<boolean> {
  const n = await knex('posta')
    .where('id', id)
    .whereIn('stato', ['scartato', 'fallito'])
    .update({ stato: 'in_attesa', tentativi: 0, prossimo_tentativo: null, ultimo_errore: knex.raw(`'reinvio richiesto; prima: ' || coalesce(ultimo_errore, '')`) });
  return n > 0;
}

/** Pending reminders of deadlines that no longer need them are withdrawn, with the reason. */
export async function ritiraPromemoria(knex: Knex, scadenzaIds: number[], motivo: string): Promise<number> {
  if (!scadenzaIds.length) return 0;
  return knex('posta')
    .where('tipo', 'promemoria')
    .whereIn('scadenza_id', scadenzaIds)
    .whereIn('stato', ['in_attesa', 'fallito'])
    .update({ stato: 'scartato', ultimo_errore: motivo, prossimo_tentativo: null });
}
