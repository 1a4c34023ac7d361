/**
 * The shape of the mail transport, below every feature so that the context (server/context.ts)
 * can carry one: built in server/posta/mailer.ts from the configuration, or given by a test.
 */

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

/**
 * The edge we do not own. `send` resolves when the SMTP server accepted the message (its 250
 * after the data) and throws otherwise, preferably an ErroreInvio saying what the failure means.
 * `close` ends the connections (the outbox calls it at the end of each pass).
 */
export interface Mailer {
  send(m: OutgoingMail): Promise<void>;
  close(): void;
}
