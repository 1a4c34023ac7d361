import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Ruolo, Utente } from './tipi';
import { AppError } from '../shared/errori';

/**
 * Who may do what: the ONE place (docs/ruoli.md is the same table for people).
 *
 * - `authorize(user, azione, risorsa?)` answers the question in a service, a job or a route;
 * - `requireRole(...ruoli)` and `permit(azione, risorsa?)` are the route middlewares built on it;
 * - `canSeeComune(user, istat)` says whether a comune's figures are shown in full or only in
 *   aggregate (small counts suppressed, docs/metriche.md, "Oscuramento dei piccoli numeri").
 *
 * A rule is `true`, `false`, or an ownership rule: 'proprio_comune' (a comune account, for its
 * own codice_istat) or 'proprio_operatore' (an operatore account, for its own operatore_id).
 * Without a `risorsa`, an ownership rule answers "may this account use the feature at all"
 * (the route is allowed, and the service then restricts the rows with `comuniInPieno` /
 * `operatoreVisibile`); with a `risorsa`, it checks that the row is the account's own.
 */
export type Regola = boolean | 'proprio_comune' | 'proprio_operatore';

export const REGOLE = {
  /** Ambito-wide aggregate pages: overview, sportello / sociali / economici, month over month. */
  'ambito.vedere': { udp: true, comune: true, operatore: true },
  /** A comune's scorecard: every role may open it; canSeeComune says full or aggregate. */
  'comune.vedere': { udp: true, comune: true, operatore: true },
  'qualita.vedere': { udp: true, comune: 'proprio_comune', operatore: false },
  'scadenze.vedere': { udp: true, comune: 'proprio_comune', operatore: false },
  'scadenze.gestire': { udp: true, comune: false, operatore: false },
  'posta.vedere': { udp: true, comune: false, operatore: false },
  /** Registry-variation alarms: the operatore holding the case; the UdP oversees them all. */
  'notifiche.vedere': { udp: true, comune: false, operatore: 'proprio_operatore' },
  'notifiche.confermare': { udp: false, comune: false, operatore: 'proprio_operatore' },
  'job.vedere': { udp: true, comune: false, operatore: false },
  'job.eseguire': { udp: true, comune: false, operatore: false },
  'audit.vedere': { udp: true, comune: false, operatore: false },
  'utenti.gestire': { udp: true, comune: false, operatore: false },
  'importazioni.eseguire': { udp: true, comune: false, operatore: false },
  'importazioni.vedere': { udp: true, comune: false, operatore: false },
  /** Contact addresses of the comuni (where reminders go): the office edits, a comune proposes. */
  'contatti.gestire': { udp: true, comune: false, operatore: false },
  'contatti.vedere': { udp: true, comune: 'proprio_comune', operatore: false },
  'contatti.proporre': { udp: false, comune: 'proprio_comune', operatore: false },
  /** Analyses of issue 20 (balance, caseload; docs/analisi.md): a comune sees its own comune only. */
  'analisi.vedere': { udp: true, comune: 'proprio_comune', operatore: false },
  'password.cambiare': { udp: true, comune: true, operatore: true },
  /** Census rounds (issue 19): the office opens, extends, closes them and reads the board. */
  'censimento.gestire': { udp: true, comune: false, operatore: false },
  /** A comune's census form: its own users; the office on the comune's behalf. */
  'censimento.compilare': { udp: true, comune: 'proprio_comune', operatore: false },
  /** Account review: a comune sees its accounts and asks changes; the office decides (utenti.gestire). */
  'credenziali.vedere': { udp: true, comune: 'proprio_comune', operatore: false },
  'credenziali.richiedere': { udp: false, comune: 'proprio_comune', operatore: false },
} as const satisfies Record<string, Record<Ruolo, Regola>>;

export type Azione = keyof typeof REGOLE;

/** The row an action is about; omit it for a feature-level check. */
export interface Risorsa {
  codice_istat?: string | null;
  operatore_id?: string | null;
}

export function authorize(user: Utente | undefined | null, azione: Azione, risorsa?: Risorsa): boolean {
  if (!user) return false;
  const regola: Regola = REGOLE[azione][user.ruolo];
  if (typeof regola === 'boolean') return regola;
  if (!risorsa) return true;
  if (regola === 'proprio_comune') return user.ruolo === 'comune' && risorsa.codice_istat != null && risorsa.codice_istat === user.codice_istat;
  return user.ruolo === 'operatore' && risorsa.operatore_id != null && risorsa.operatore_id === user.operatore_id;
}

export type Livello = 'pieno' | 'aggregato';

/** The UdP sees every comune in full; a comune account its own; everything else in aggregate. */
export function canSeeComune(user: Utente, istat: string | null | undefined): Livello {
  if (user.ruolo === 'udp') return 'pieno';
  return user.ruolo === 'comune' && istat != null && istat === user.codice_istat ? 'pieno' : 'aggregato';
}

/** A selection of several comuni (a cluster, a distretto) is full only if every one of them is. */
export function canSeeSelezione(user: Utente, istats: readonly string[]): Livello {
  return istats.length > 0 && istats.every((i) => canSeeComune(user, i) === 'pieno') ? 'pieno' : 'aggregato';
}

/** Comuni whose rows the account sees in full: 'tutti' for the UdP, else a list (maybe empty). */
export function comuniInPieno(user: Utente): 'tutti' | string[] {
  if (user.ruolo === 'udp') return 'tutti';
  return user.ruolo === 'comune' && user.codice_istat ? [user.codice_istat] : [];
}

/** The notifications the account sees: 'tutti' for the UdP, its own operatore_id, or none. */
export function operatoreVisibile(user: Utente): 'tutti' | string | null {
  if (user.ruolo === 'udp') return 'tutti';
  return user.ruolo === 'operatore' ? user.operatore_id : null;
}

/** Thrown (or passed to next) when a signed-in account may not do something: HTTP 403. */
export class AccessoNegato extends AppError {
  constructor(message = 'Accesso negato: il tuo profilo non può vedere questa pagina.') {
    super(message, { status: 403 });
  }
}

/** Throws AccessoNegato unless authorized: for services that take the user. */
export function assertAuthorized(user: Utente | undefined | null, azione: Azione, risorsa?: Risorsa): void {
  if (!authorize(user, azione, risorsa)) throw new AccessoNegato();
}

/** Paths that answer without a login (everything else needs one: deny by default). */
export const PUBLIC_PATHS = new Set(['/login', '/logout', '/salute', '/password/dimenticata']);
/** Path prefixes that answer without a login: the one-time links of invitations and resets. */
export const PUBLIC_PREFIXES = ['/account/imposta/'];

export function isPublic(path: string): boolean {
  return PUBLIC_PATHS.has(path) || PUBLIC_PREFIXES.some((p) => path.startsWith(p));
}

/** No session: a page redirects to /login?next=..., an API call gets 401 JSON. */
export function unauthenticated(req: Request, res: Response): void {
  if (req.path.startsWith('/api/')) {
    res.status(401).json({ errore: 'Accesso richiesto: effettuare il login.' });
    return;
  }
  // The session middleware flags a session that just timed out, so the login page can say so.
  const scaduta = res.locals.sessioneScaduta ? '&scaduta=1' : '';
  if (req.method === 'GET' || req.method === 'HEAD') {
    res.redirect(302, `/login?next=${encodeURIComponent(req.originalUrl)}${scaduta}`);
    return;
  }
  res.redirect(303, `/login${scaduta ? '?scaduta=1' : ''}`);
}

/** Any signed-in account. */
export const requireLogin: RequestHandler = (req, res, next) => {
  if (!req.user) return unauthenticated(req, res);
  next();
};

/** Signed in with one of these roles; another role gets 403. */
export function requireRole(...ruoli: Ruolo[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.user) return unauthenticated(req, res);
    if (!ruoli.includes(req.user.ruolo)) return next(new AccessoNegato());
    next();
  };
}

/** Signed in and authorized for `azione` (on the resource taken from the request, if given). */
export function permit(azione: Azione, risorsa?: (req: Request) => Risorsa): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.user) return unauthenticated(req, res);
    if (!authorize(req.user, azione, risorsa?.(req))) return next(new AccessoNegato());
    next();
  };
}
