import crypto from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppContext } from '../context';
import { clearCookie, CookiePolicy, parseCookies, PRE_CSRF_COOKIE, SESSION_COOKIE, setCookie, sign, unsign } from './cookies';
import { menuFor } from './menu';
import { AccessoNegato, isPublic, unauthenticated } from './permessi';
import { loadSession } from './sessioni';
import { connessioneOccupata } from '../fatti/notte';
import { memoSessioni } from './memo-sessioni';

export interface AuthOptions extends CookiePolicy {
  /** SESSION_SECRET: signs the cookies. */
  secret: string;
}

/**
 * Reads the session cookie, loads the session and its account (req.user, req.sessione) and
 * prepares what every page's layout shows: res.locals.utente, .csrf, .menu.
 */
export function sessionMiddleware(ctx: AppContext, opts: AuthOptions): RequestHandler {
  // PGlite: while the only connection is taken, a GET may pass on a check made moments ago
  // (memo-sessioni.ts: revoked or expired sessions are never honoured). PostgreSQL always asks.
  const memo = ctx.db.engine === 'pglite' ? memoSessioni(ctx.db) : null;
  const carica = async (id: string, metodo: string) => {
    if (!memo) return loadSession(ctx.db, id, ctx.clock.now());
    if (metodo === 'GET' && connessioneOccupata(ctx.db)) {
      const r = memo.recente(id, ctx.clock.now(), performance.now());
      if (r) return r;
    }
    const generazione = memo.generazione;
    const found = await loadSession(ctx.db, id, ctx.clock.now());
    if (typeof found === 'object') memo.ricorda(id, found, generazione, performance.now());
    else memo.dimentica(id);
    return found;
  };
  return async (req: Request, res: Response, next: NextFunction) => {
    const cookies = parseCookies(req.headers.cookie);
    const raw = cookies[SESSION_COOKIE];
    const id = raw ? unsign(raw, opts.secret) : null;
    if (raw) {
      const found = id ? await carica(id, req.method) : 'assente';
      if (typeof found === 'object') {
        req.user = found.utente;
        req.sessione = found.sessione;
      } else {
        clearCookie(req, res, SESSION_COOKIE, opts);
        if (found === 'scaduta') res.locals.sessioneScaduta = true;
      }
    }
    if (req.sessione) res.locals.csrf = req.sessione.csrf;
    else res.locals.csrf = preSessionToken(req, res, cookies, opts);
    res.locals.utente = req.user;
    res.locals.menu = menuFor(req.user, req.path);
    next();
  };
}

/**
 * Before login there is no session to hold the CSRF token of the login form: it lives in its
 * own signed cookie and the form must send the same value back (double submit).
 */
function preSessionToken(req: Request, res: Response, cookies: Record<string, string>, opts: AuthOptions): string | undefined {
  const raw = cookies[PRE_CSRF_COOKIE];
  const have = raw ? unsign(raw, opts.secret) : null;
  if (have) return have;
  if (req.method !== 'GET' || req.path.startsWith('/api/')) return undefined;
  const token = crypto.randomBytes(32).toString('hex');
  setCookie(req, res, PRE_CSRF_COOKIE, sign(token, opts.secret), opts);
  return token;
}

/** Deny by default: every path but PUBLIC_PATHS (and PUBLIC_PREFIXES) needs a signed-in account. */
export const loginGate: RequestHandler = (req, res, next) => {
  if (req.user || isPublic(req.path)) return next();
  unauthenticated(req, res);
};

/**
 * An account signed in with a one-time password (created from the command line) chooses its own
 * password before anything else: every other page sends it to /password.
 */
export const passwordObbligatoria: RequestHandler = (req, res, next) => {
  if (!req.user?.cambio_password || req.path === '/password' || req.path === '/logout' || isPublic(req.path)) return next();
  if (req.path.startsWith('/api/')) {
    res.status(403).json({ errore: 'Prima di continuare scegli una nuova password (pagina /password).' });
    return;
  }
  res.redirect(303, '/password?obbligatoria=1');
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every POST/PUT/PATCH/DELETE carries the token: a form field `_csrf` (urlencoded forms) or
 * the `X-CSRF-Token` header (scripts). Compared in constant time with the session's token, or
 * with the pre-session cookie's before login.
 */
export const csrfCheck: RequestHandler = (req, res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  // Logging out without a session changes nothing: nothing to protect, just go to /login.
  if (!req.sessione && req.path === '/logout') return next();
  const body = req.body as Record<string, unknown> | undefined;
  // A file upload (multipart) is not parsed here: it is streamed to disk by its route, after this
  // check. Its form carries the token in the URL (a plain form cannot set a header), or a script
  // sends the header.
  const multipart = /^multipart\/form-data/i.test(req.get('content-type') ?? '');
  const fromQuery = multipart && typeof req.query._csrf === 'string' ? req.query._csrf : undefined;
  const sent = typeof body?._csrf === 'string' ? body._csrf : (req.get('x-csrf-token') ?? fromQuery);
  const expected = res.locals.csrf as string | undefined;
  const ok = typeof sent === 'string' && typeof expected === 'string' && sent.length === expected.length && crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
  if (!ok) return next(new AccessoNegato('Richiesta non valida: il modulo è scaduto o non proviene da questo sito. Ricaricare la pagina e riprovare.'));
  next();
};
