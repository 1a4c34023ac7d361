/**
 * Mail test support: a REAL SMTP server (smtp-server) on 127.0.0.1, an ephemeral port, that
 * parses what arrives with mailparser; and an application context pointed at it, with a clock
 * the test moves by hand. Used by test/posta, test/promemoria and test/scadenze.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { loadConfig } from '../../server/config';
import type { AppContext, Clock } from '../../server/context';
import type { Database } from '../../server/db';

export interface Ricevuto {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** The test's "today" when it arrived (set by the server's `giorno` hook). */
  giorno: string;
  headers: Map<string, unknown>;
}

export interface TestSmtp {
  port: number;
  url: string;
  received: Ricevuto[];
  /** Addresses (lower case) refused at RCPT TO with a permanent 550. */
  reject: Set<string>;
  /** Milliseconds to wait before accepting DATA (to make two senders overlap). */
  delayMs: number;
  /** Called when a message arrives, before the server answers 250 (crash simulations). */
  onAccepted: ((r: Ricevuto) => void) | null;
  /** Stops listening: connections are refused until `start()` (same port). */
  stop(): Promise<void>;
  start(): Promise<void>;
  waitFor(n: number, timeoutMs?: number): Promise<void>;
}

export async function startSmtp(giorno: () => string = () => ''): Promise<TestSmtp> {
  const state = { server: null as SMTPServer | null };
  const t: TestSmtp = {
    port: 0,
    url: '',
    received: [],
    reject: new Set(),
    delayMs: 0,
    onAccepted: null,
    async stop() {
      const s = state.server;
      state.server = null;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async start() {
      if (state.server) return;
      const server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        disableReverseLookup: true,
        onRcptTo(address, _session, cb) {
          if (t.reject.has(address.address.toLowerCase())) {
            const err = Object.assign(new Error(`Mailbox ${address.address} unavailable`), { responseCode: 550 });
            return cb(err);
          }
          cb();
        },
        onData(stream, _session, cb) {
          simpleParser(stream)
            .then(async (p) => {
              if (t.delayMs) await new Promise((r) => setTimeout(r, t.delayMs));
              const to = Array.isArray(p.to) ? p.to.map((x) => x.text).join(', ') : (p.to?.text ?? '');
              const r: Ricevuto = { to, from: p.from?.text ?? '', subject: p.subject ?? '', text: p.text ?? '', html: typeof p.html === 'string' ? p.html : '', messageId: p.messageId ?? '', giorno: giorno(), headers: p.headers };
              t.received.push(r);
              t.onAccepted?.(r);
              cb();
            })
            .catch((e) => cb(e));
        },
      });
      await new Promise<void>((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(t.port, '127.0.0.1', () => resolve());
      });
      t.port = (server.server.address() as { port: number }).port;
      t.url = `smtp://127.0.0.1:${t.port}`;
      state.server = server;
    },
    async waitFor(n, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (t.received.length < n) {
        if (Date.now() > until) throw new Error(`attesi ${n} messaggi, arrivati ${t.received.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
  await t.start();
  return t;
}

/** A clock moved by hand; `today()` is the date in Rome, as in production. */
export interface MovableClock extends Clock {
  set(d: Date | string): void;
  advance(ms: number): void;
  /** Sets the clock to 08:00 in Rome (06:00 or 07:00 UTC) of the given day: the job's time. */
  day(d: string): void;
}

export function movableClock(start = '2026-03-02T07:00:00Z'): MovableClock {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    today: () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Rome' }).format(new Date(t)),
    set: (d) => void (t = new Date(d).getTime()),
    advance: (ms) => void (t += ms),
    day: (d) => void (t = new Date(`${d}T06:00:00Z`).getTime()),
  };
}

export const BASE_URL = 'https://cruscotto.ambito-lodi.example';

/** A context on `db` for mail tests: SMTP_URL given or unset, BASE_URL absolute, silent log. */
export function mailContext(db: Database, opts: { smtpUrl?: string | null; clock?: Clock; env?: Record<string, string> } = {}): AppContext & { clock: MovableClock } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-posta-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    BASE_URL,
    MAIL_FROM: 'Ufficio di Piano <udp@ambito-lodi.example>',
    SESSION_SECRET: 'segreto-dei-test-della-posta',
    ...(opts.smtpUrl ? { SMTP_URL: opts.smtpUrl } : {}),
    ...opts.env,
  });
  return { config, db, log: pino({ level: 'silent' }), clock: (opts.clock as MovableClock) ?? movableClock() };
}
