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
import { giornoIso } from '../../server/shared/formato';

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

/** What the server does once it has received a whole message for a recipient (lower case). */
export type DopoDati =
  /** Closes the connection without answering: the message arrived, the client cannot know. */
  | 'cade'
  /** Never answers: the client's socket timeout decides. */
  | 'tace'
  /** Answers 250, then closes the connection. */
  | 'accetta-e-cade'
  /** Answers 554: refused for good after reading it. */
  | 'rifiuta';

export interface TestSmtp {
  port: number;
  url: string;
  received: Ricevuto[];
  /** Addresses (lower case) refused at RCPT TO with a temporary 450. */
  reject: Set<string>;
  /** Addresses (lower case) refused at RCPT TO with a permanent 550. */
  rejectPermanent: Set<string>;
  /** Behaviour after DATA for some recipients (the message counts as received in every case). */
  dopoDati: Map<string, DopoDati>;
  /** True: the server accepts connections and never greets (a hung mail server). */
  silenzioso: boolean;
  /** Milliseconds to wait before accepting DATA (to make two senders overlap). */
  delayMs: number;
  /**
   * When > 1, the first transaction is held (at most 20 s) until this many are in flight at once:
   * a sender that works one message at a time never gets there.
   */
  attendiInVolo: number;
  /** Transactions (MAIL FROM to the answer after DATA) in flight now, and the most seen at once. */
  inVolo: number;
  maxInVolo: number;
  /** Open connections now and the most seen at once. */
  connessioni: number;
  maxConnessioni: number;
  /** Every connection: when it opened and closed (ms), and who closed it. */
  sessioni: { aperta: number; chiusa: number | null }[];
  /** Called when a message arrives, before the server answers 250 (crash simulations). */
  onAccepted: ((r: Ricevuto) => void) | null;
  /** Back to a healthy server with no message and no counters. */
  reset(): void;
  /** Stops listening (open connections are cut): connections are refused until `start()` (same port). */
  stop(): Promise<void>;
  start(): Promise<void>;
  waitFor(n: number, timeoutMs?: number): Promise<void>;
}

export async function startSmtp(giorno: () => string = () => ''): Promise<TestSmtp> {
  const state = { server: null as SMTPServer | null };
  const aperte = new Map<string, { aperta: number; chiusa: number | null }>();
  // Internals of smtp-server, for the tests that cut a connection from the server side.
  type Conn = { session?: { id?: string }; _socket?: { destroy(): void } };
  const taglia = (sessionId: string) => {
    for (const c of (state.server as unknown as { connections: Set<Conn> } | null)?.connections ?? []) if (c.session?.id === sessionId) c._socket?.destroy();
  };
  const t: TestSmtp = {
    port: 0,
    url: '',
    received: [],
    reject: new Set(),
    rejectPermanent: new Set(),
    dopoDati: new Map(),
    silenzioso: false,
    delayMs: 0,
    attendiInVolo: 0,
    inVolo: 0,
    maxInVolo: 0,
    connessioni: 0,
    maxConnessioni: 0,
    sessioni: [],
    onAccepted: null,
    reset() {
      t.received.length = 0;
      t.reject.clear();
      t.rejectPermanent.clear();
      t.dopoDati.clear();
      t.silenzioso = false;
      t.delayMs = 0;
      t.attendiInVolo = 0;
      t.maxInVolo = t.inVolo;
      t.maxConnessioni = t.connessioni;
      t.sessioni.length = 0;
      t.onAccepted = null;
    },
    async stop() {
      const s = state.server;
      state.server = null;
      if (!s) return;
      for (const c of (s as unknown as { connections: Set<Conn> }).connections) c._socket?.destroy();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async start() {
      if (state.server) return;
      let primo = true;
      const server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        disableReverseLookup: true,
        onConnect(session, cb) {
          const s = { aperta: Date.now(), chiusa: null };
          aperte.set(session.id, s);
          t.sessioni.push(s);
          t.connessioni++;
          t.maxConnessioni = Math.max(t.maxConnessioni, t.connessioni);
          if (!t.silenzioso) cb(); // silent: no greeting, ever
        },
        onClose(session) {
          const s = aperte.get(session.id);
          if (s && s.chiusa === null) {
            s.chiusa = Date.now();
            t.connessioni--;
          }
        },
        onMailFrom(_address, _session, cb) {
          t.inVolo++;
          t.maxInVolo = Math.max(t.maxInVolo, t.inVolo);
          cb();
        },
        onRcptTo(address, _session, cb) {
          const a = address.address.toLowerCase();
          const code = t.rejectPermanent.has(a) ? 550 : t.reject.has(a) ? 450 : 0;
          if (code) {
            t.inVolo--; // the transaction ends here (nodemailer resets the session)
            return cb(Object.assign(new Error(`Mailbox ${address.address} unavailable`), { responseCode: code }));
          }
          cb();
        },
        onData(stream, session, cb) {
          simpleParser(stream)
            .then(async (p) => {
              if (t.delayMs) await new Promise((r) => setTimeout(r, t.delayMs));
              if (primo && t.attendiInVolo > 1) {
                primo = false;
                const until = Date.now() + 20_000;
                while (t.inVolo < t.attendiInVolo && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
              }
              const to = Array.isArray(p.to) ? p.to.map((x) => x.text).join(', ') : (p.to?.text ?? '');
              const r: Ricevuto = { to, from: p.from?.text ?? '', subject: p.subject ?? '', text: p.text ?? '', html: typeof p.html === 'string' ? p.html : '', messageId: p.messageId ?? '', giorno: giorno(), headers: p.headers };
              t.received.push(r);
              t.onAccepted?.(r);
              const dopo = [...(session.envelope.rcptTo ?? [])].map((x) => t.dopoDati.get(x.address.toLowerCase())).find(Boolean);
              t.inVolo--;
              if (dopo === 'cade') return taglia(session.id);
              if (dopo === 'tace') return;
              if (dopo === 'rifiuta') return cb(Object.assign(new Error('Message rejected: content not accepted'), { responseCode: 554 }));
              cb();
              if (dopo === 'accetta-e-cade') setImmediate(() => taglia(session.id));
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
    today: () => giornoIso(new Date(t)),
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
