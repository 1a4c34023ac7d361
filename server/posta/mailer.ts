import nodemailer from 'nodemailer';
import type { Config } from '../config';
import type { AppContext } from '../context';

/** One message to one recipient, as the outbox hands it to the transport. */
export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Derived from the outbox key: the same message always carries the same Message-ID. */
  messageId: string;
  date: Date;
}

/** The edge we do not own. Resolves when the SMTP server accepted the message, throws otherwise. */
export interface Mailer {
  send(m: OutgoingMail): Promise<void>;
}

/**
 * Timeouts bound the time one send can take (about two minutes at worst), which the outbox
 * relies on: a message claimed for longer than its lease (outbox.ts) cannot still be in flight.
 */
const TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

/** The SMTP transport from configuration; null when SMTP_URL is unset (mail stays in the outbox). */
export function createMailer(config: Pick<Config, 'smtpUrl'>): Mailer | null {
  if (!config.smtpUrl) return null;
  // Not pooled: no socket stays open between runs, and each message gets its own SMTP session,
  // so one recipient's failure cannot affect another message.
  const transport = nodemailer.createTransport({ url: config.smtpUrl, ...TIMEOUTS });
  return {
    async send(m) {
      await transport.sendMail({
        from: m.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: m.messageId,
        date: m.date,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    },
  };
}

// One transport per application context, created on first use from its configuration
// (the server and the CLI have one context each). Tests inject their own.
const mailers = new WeakMap<AppContext, Mailer | null>();

export function mailerFor(ctx: AppContext): Mailer | null {
  if (!mailers.has(ctx)) mailers.set(ctx, createMailer(ctx.config));
  return mailers.get(ctx) ?? null;
}

/** Replaces the transport of a context (tests: a failing or crashing transport). */
export function setMailer(ctx: AppContext, mailer: Mailer | null): void {
  mailers.set(ctx, mailer);
}

/** A readable, bounded description of an SMTP failure for `ultimo_errore`. */
export function describeSmtpError(e: unknown): string {
  const err = e as { responseCode?: number; code?: string; response?: string; message?: string };
  const code = err.responseCode ?? err.code;
  const text = (err.response ?? err.message ?? String(e)).replace(/\s+/g, ' ').trim();
  return (code ? `${code}: ${text}` : text).slice(0, 500);
}
