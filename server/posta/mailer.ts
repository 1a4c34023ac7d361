import { Transform } from 'node:stream';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Config } from '../config';
import type { AppContext } from '../context';
import { AppError } from '../shared/errori';

export type { Mailer, OutgoingMail } from '../shared/trasporto';
import type { Mailer, OutgoingMail } from '../shared/trasporto';

/**
 * What a failed send means for the message:
 * - `permanente`: the server refused this message or this recipient with a 5xx (RCPT TO, DATA):
 *   it would refuse it again, so it is not retried;
 * - `incerto`: the whole message was handed to the server, then the connection dropped or went
 *   silent before its answer: it may have arrived, so it is not sent again blindly;
 * - `temporaneo`: anything else (server down or unreachable, 4xx, a 5xx to the session set-up
 *   such as AUTH or MAIL FROM, which is a configuration to fix): retried later.
 */
export type TipoErrore = 'permanente' | 'incerto' | 'temporaneo';

export class ErroreInvio extends AppError {
  constructor(
    readonly tipo: TipoErrore,
    /** Readable and bounded: code and answer of the server. */
    readonly motivo: string,
    options?: { cause?: unknown },
  ) {
    super(motivo, options);
  }
}

/** The SMTP commands whose 5xx answer concerns the message or its recipient, not the session. */
const COMANDI_DEL_MESSAGGIO = new Set(['RCPT TO', 'DATA']);

export function tipoErrore(e: unknown, corpoConsegnato: boolean): TipoErrore {
  const err = e as { responseCode?: unknown; command?: unknown; code?: unknown };
  const code = typeof err.responseCode === 'number' ? err.responseCode : null;
  // 503 is "bad sequence of commands": a session problem, the message itself was not judged.
  if (code !== null && code >= 500 && code < 600 && code !== 503 && COMANDI_DEL_MESSAGGIO.has(String(err.command))) return 'permanente';
  if (corpoConsegnato && code === null) return 'incerto';
  return 'temporaneo';
}

/** A readable, bounded description of an SMTP failure for `ultimo_errore`. */
export function describeSmtpError(e: unknown): string {
  const err = e as { responseCode?: number; code?: string; response?: string; message?: string };
  const code = err.responseCode ?? err.code;
  const text = (err.response ?? err.message ?? String(e)).replace(/\s+/g, ' ').trim();
  // The server's answer already starts with its code ("550 Mailbox unavailable").
  return (code && !text.startsWith(String(code)) ? `${code}: ${text}` : text).slice(0, 500);
}

/** Set when the last byte of the message has been handed to the connection. */
interface Consegna {
  corpoConsegnato: boolean;
}

/**
 * THE place where the SMTP transport is built (server, CLI and jobs get it through mailerFor).
 *
 * - One pooled transport: up to SMTP_CONNESSIONI messages in flight at once, each on its own
 *   connection; the outbox runs that many senders.
 * - Connect, greeting and socket timeouts all SMTP_TIMEOUT (15 s by default): a silent server
 *   costs at most that per message, and a send cannot outlive the outbox's lease (outbox.ts).
 * - The pool may put a message back in its queue only when not a byte of it was sent (a
 *   connection the server had closed while idle); nodemailer checks that itself, and we allow
 *   it once. Anything else comes back to the outbox, which decides (tipoErrore).
 * - A transform at the end of the message stream notes when the whole message has been handed
 *   over: a failure after that point, without an answer from the server, is `incerto`.
 */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'smtpTimeoutMs' | 'smtpConnessioni'>): Mailer | null {
  if (!config.smtpUrl) return null;
  const t = config.smtpTimeoutMs;
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    pool: true,
    maxConnections: config.smtpConnessioni,
    maxMessages: 100,
    maxRequeues: 1,
    idleTimeout: t,
    connectionTimeout: t,
    greetingTimeout: t,
    socketTimeout: t,
    dnsTimeout: t,
  });
  transport.use('stream', (mail, done) => {
    const consegna = (mail.data as { consegna?: Consegna }).consegna;
    if (consegna) {
      mail.message.transform(
        () =>
          new Transform({
            transform: (chunk, _enc, cb) => cb(null, chunk),
            flush: (cb) => {
              consegna.corpoConsegnato = true;
              cb();
            },
          }),
      );
    }
    done();
  });
  return {
    async send(m) {
      const consegna: Consegna = { corpoConsegnato: false };
      try {
        await transport.sendMail({
          from: m.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          html: m.html,
          messageId: m.messageId,
          date: m.date,
          headers: { 'Auto-Submitted': 'auto-generated' },
          consegna,
        } as SendMailOptions);
      } catch (e) {
        throw new ErroreInvio(tipoErrore(e, consegna.corpoConsegnato), describeSmtpError(e), { cause: e });
      }
    },
    close() {
      transport.close();
    },
  };
}

/** The transport for one delivery pass, or null when SMTP_URL is unset. Close it when done. */
export function mailerFor(ctx: AppContext): Mailer | null {
  // A transport given with the context (a test's failing or crashing one, or null for "no SMTP");
  // otherwise each delivery pass builds its own from the configuration and closes it at the end,
  // so no socket stays open between passes.
  if (ctx.mailer !== undefined) {
    const m = ctx.mailer;
    return m && { send: (x) => m.send(x), close: () => undefined };
  }
  return createMailer(ctx.config);
}

/** Replaces the transport of a context (tests: a failing or crashing transport). */
export function setMailer(ctx: AppContext, mailer: Pick<Mailer, 'send'> | null): void {
  ctx.mailer = mailer;
}
