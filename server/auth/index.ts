/**
 * Accounts, roles, sessions and CSRF (issue 5). What other features use:
 *
 * WHO IS SIGNED IN
 *   `req.user: Utente | undefined` (server/auth/types.ts): { id, email, ruolo: 'udp'|'comune'|
 *   'operatore', codice_istat (comune only), operatore_id (operatore only) }. `req.sessione`
 *   holds the session (its `csrf` token). Every path needs a signed-in account except
 *   PUBLIC_PATHS (/login, /logout, /salute) and /static: deny by default, so a route that forgets
 *   its guard is still closed to anonymous users (but open to every role: always add one).
 *
 * GUARDING A ROUTE (server/auth/permessi.ts, the ONE rules table, mirrored in docs/ruoli.md)
 *   router.get('/qualita', permit('qualita.vedere'), handler)       // by action (preferred)
 *   router.get('/posta', requireRole('udp'), handler)               // by role
 *   router.get('/api/notifiche/:op', permit('notifiche.vedere', (req) => ({ operatore_id: req.params.op })), h)
 *   No session: a page redirects to /login?next=<url>, an /api/ path answers 401 JSON.
 *   Not allowed: 403, an error page or `{ "errore": ... }` under /api/ (throw or next(new AccessoNegato())).
 *
 * CHECKING IN A SERVICE
 *   authorize(user, azione, risorsa?) -> boolean; assertAuthorized(...) throws AccessoNegato (403).
 *   canSeeComune(user, istat) -> 'pieno' | 'aggregato': 'aggregato' = small counts suppressed
 *   (docs/metriche.md, "Oscuramento dei piccoli numeri"). canSeeSelezione(user, istats) for a
 *   cluster / distretto. comuniInPieno(user) -> 'tutti' | string[] and operatoreVisibile(user)
 *   -> 'tutti' | id | null to filter rows.
 *
 * PAGES
 *   Render with `res.render('page', data)` (not views.page): the layout then gets
 *   res.locals.utente, .menu (by role, server/auth/menu.ts: add your page there) and .csrf.
 *   Every form that POSTs carries `<input type="hidden" name="_csrf" value="{{csrf}}">`; a script
 *   sends the header `X-CSRF-Token` (put the token in a data- attribute). Bodies are parsed as
 *   urlencoded forms and as JSON. No inline <script> or style="": the CSP forbids them.
 *
 * AUDIT (server/audit/index.ts)
 *   await audit(ctx.db, { ...chi(req), azione: 'esportazione', dettagli: { pagina, formato } }).
 *   Logins, failed logins, logouts, lock-outs, password and account changes and imports are
 *   recorded here already; record your exports.
 *
 * ACCOUNTS: `cruscotto user add|disable|list` (server/cli/utenti.ts); createUser / disableUser /
 *   listUsers in server/auth/utenti.ts. Demo accounts: server/auth/demo.ts.
 * LIMITS: `limitaRichieste(ctx, 'accesso')` is the request limiter (server/auth/limitatore.ts) of
 *   /login and /password; mount it in front of any route a stranger can use to guess (password
 *   reset, signed links). Failed logins are limited per e-mail and per address in service.ts.
 * SESSIONS: database table `sessioni`, signed httpOnly SameSite=Lax cookie, Secure behind HTTPS;
 *   idle timeout IDLE_MS (30 min), absolute ABSOLUTE_MS (12 h) in server/auth/sessioni.ts.
 */
import crypto from 'node:crypto';
import express from 'express';
import type { AppContext } from '../context';
import { AuthOptions, csrfCheck, loginGate, passwordObbligatoria, sessionMiddleware } from './middleware';
import { authRouter } from './routes';
import { dummyHash } from './password';
import { limitaRichieste } from './limitatore';

export { limitaRichieste, FINESTRA_RICHIESTE_MS } from './limitatore';
export { sbloccaAccount } from './service';

export type { Ruolo, Utente, Sessione } from './tipi';
export { RUOLI } from './tipi';
export {
  authorize,
  assertAuthorized,
  canSeeComune,
  canSeeSelezione,
  comuniInPieno,
  operatoreVisibile,
  permit,
  requireLogin,
  requireRole,
  AccessoNegato,
  PUBLIC_PATHS,
  REGOLE,
} from './permessi';
export type { Azione, Livello, Risorsa } from './permessi';

let processSecret: string | null = null;

/** Cookie settings from configuration. Without SESSION_SECRET (embedded demo only) a per-process secret. */
export function authOptions(ctx: AppContext): AuthOptions {
  let secret = ctx.config.sessionSecret;
  if (!secret) {
    secret = processSecret ??= crypto.randomBytes(32).toString('hex');
    if (ctx.config.databaseUrl) ctx.log.warn('SESSION_SECRET non impostato: uso una chiave temporanea (le sessioni non sopravvivono al riavvio)');
  }
  return { secret, httpsBaseUrl: ctx.config.baseUrl.startsWith('https:') };
}

/**
 * Everything that runs before the feature routes: body parsers, session, login gate, CSRF
 * check, and the /login, /logout, /password pages. Mounted once by server/app.ts.
 */
export function authMiddleware(ctx: AppContext): express.Router {
  const opts = authOptions(ctx);
  // Computed now, so the first login with an unknown e-mail costs one scrypt like any other.
  void dummyHash();
  const r = express.Router();
  // Before parsing and the session: a flood costs one counter update per request, nothing more.
  r.post(['/login', '/password'], limitaRichieste(ctx, 'accesso'));
  r.use(express.urlencoded({ extended: false, limit: '200kb' }));
  r.use(express.json({ limit: '1mb' }));
  r.use(sessionMiddleware(ctx, opts));
  r.use(loginGate);
  r.use(passwordObbligatoria);
  r.use(csrfCheck);
  r.use(authRouter(ctx, opts));
  return r;
}
