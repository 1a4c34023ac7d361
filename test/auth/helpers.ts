/**
 * Web test support: a real app on a real database, served on an ephemeral port and driven
 * with fetch (no supertest), with a small cookie jar per "browser". Used by test/auth and the
 * role matrix (test/web); other web tests may use it too.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import pino from 'pino';
import { loadConfig } from '../../server/config';
import type { AppContext, Clock } from '../../server/context';
import type { Database } from '../../server/db';
import { createApp } from '../../server/app';
import { SESSION_COOKIE, sign } from '../../server/auth/cookies';
import { createSession } from '../../server/auth/sessioni';
import type { Utente } from '../../server/auth/tipi';
import { giornoIso } from '../../server/shared/formato';

export const TEST_SECRET = 'segreto-di-prova-per-i-test';

/** A clock the test moves by hand (sessions, lock-outs). */
export interface MutableClock extends Clock {
  set(d: Date | string): void;
  advance(ms: number): void;
}

export function mutableClock(start: Date | string = '2026-11-22T09:00:00Z'): MutableClock {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    today: () => giornoIso(new Date(t)),
    set: (d) => void (t = new Date(d).getTime()),
    advance: (ms) => void (t += ms),
  };
}

// The DATA_DIRs made by testContext are removed after each test file that uses them.
const tempDirs: string[] = [];
if (typeof afterAll === 'function') {
  afterAll(() => {
    for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
}

/** A context on the given database, with a temporary DATA_DIR, silent logs and a movable clock. */
export function testContext(db: Database, opts: { clock?: Clock; env?: Record<string, string> } = {}): AppContext & { clock: MutableClock | Clock; dataDir: string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-data-'));
  tempDirs.push(dataDir);
  const config = loadConfig({ DATA_DIR: dataDir, SESSION_SECRET: TEST_SECRET, ...opts.env });
  return { config, db, log: pino({ level: 'silent' }), clock: opts.clock ?? mutableClock(), dataDir };
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

export async function startServer(ctx: AppContext): Promise<TestServer> {
  const server = http.createServer(createApp({ ctx }));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const addr = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${addr.port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

export interface Risposta {
  status: number;
  location: string | null;
  headers: Headers;
  text: string;
}

/** One browser: keeps its cookies, never follows redirects (tests look at them). */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(
    readonly base: string,
    /** Client address as seen by the app (X-Forwarded-For from loopback is trusted). */
    readonly ip?: string,
  ) {}

  async request(method: string, p: string, opts: { form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {}): Promise<Risposta> {
    const headers: Record<string, string> = { ...opts.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.ip) headers['x-forwarded-for'] = this.ip;
    let body: string | undefined;
    if (opts.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(opts.form).toString();
    } else if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    const res = await fetch(this.base + p, { method, headers, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const expired = attrs.some((a) => /^\s*expires=/i.test(a) && new Date(a.split('=')[1]).getTime() < Date.now()) || attrs.some((a) => /^\s*max-age=0/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1).trim());
    }
    return { status: res.status, location: res.headers.get('location'), headers: res.headers, text: await res.text() };
  }

  get(p: string, headers?: Record<string, string>): Promise<Risposta> {
    return this.request('GET', p, { headers });
  }

  post(p: string, form: Record<string, string>): Promise<Risposta> {
    return this.request('POST', p, { form });
  }

  /** The CSRF token the page at `p` puts in its forms. */
  async csrf(p = '/login'): Promise<string> {
    const r = await this.get(p);
    const m = r.text.match(/name="_csrf" value="([0-9a-f]+)"/);
    if (!m) throw new Error(`no CSRF token on ${p} (status ${r.status})`);
    return m[1];
  }

  /** Through the login form, as a person does. */
  async login(email: string, password: string, next?: string): Promise<Risposta> {
    const token = await this.csrf('/login');
    return this.post('/login', { _csrf: token, email, password, ...(next ? { next } : {}) });
  }
}

/** A browser already signed in as `user`, without the cost of scrypt (the session is made directly). */
export async function signedIn(ctx: AppContext, base: string, user: Utente): Promise<{ browser: Browser; csrf: string }> {
  const s = await createSession(ctx.db, user.id, ctx.clock.now());
  const browser = new Browser(base);
  browser.cookies.set(SESSION_COOKIE, sign(s.id, TEST_SECRET));
  return { browser, csrf: s.csrf };
}

/** Inline scripts and styles the CSP would block (script without src, <style>, style="..."). */
export function inlineViolations(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>/gi)) if (!/\ssrc\s*=/i.test(m[1])) out.push(m[0]);
  for (const m of html.matchAll(/<style\b[^>]*>/gi)) out.push(m[0]);
  for (const m of html.matchAll(/<[a-z][^>]*\sstyle\s*=\s*["'][^>]*>/gi)) out.push(m[0]);
  for (const m of html.matchAll(/<[a-z][^>]*\son[a-z]+\s*=\s*["'][^>]*>/gi)) out.push(m[0]);
  return out;
}
