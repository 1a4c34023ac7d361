import express, { Request, Response } from 'express';
import type { AppContext } from '../context';
import { clearCookie, PRE_CSRF_COOKIE, SESSION_COOKIE, setCookie, sign } from './cookies';
import type { AuthOptions } from './middleware';
import { paginaIniziale } from './menu';
import { BLOCCO_MS, changePassword, login, logout, MAX_TENTATIVI } from './service';
import { IDLE_MS } from './sessioni';
import { PASSWORD_MIN } from './password';
import { requireLogin } from './permessi';

/** Only a local path: never an open redirect to another site (`//evil`, `/\evil`, `https:`). */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\\]/.test(next) || next.startsWith('/login') || next.startsWith('/logout')) return '/';
  return next;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

const loginInfo = {
  tentativi: MAX_TENTATIVI,
  bloccoMinuti: BLOCCO_MS / 60_000,
  inattivitaMinuti: IDLE_MS / 60_000,
};

/** /login, /logout, /password. */
export function authRouter(ctx: AppContext, opts: AuthOptions): express.Router {
  const r = express.Router();

  const startSession = (req: Request, res: Response, id: string) => {
    setCookie(req, res, SESSION_COOKIE, sign(id, opts.secret), opts);
    clearCookie(req, res, PRE_CSRF_COOKIE, opts);
  };

  r.get('/login', (req, res) => {
    if (req.user) return res.redirect(302, safeNext(req.query.next));
    res.render('login', {
      title: 'Accesso',
      next: safeNext(req.query.next),
      scaduta: req.query.scaduta === '1' || res.locals.sessioneScaduta === true,
      uscito: req.query.uscito === '1',
      ...loginInfo,
    });
  });

  r.post('/login', async (req, res) => {
    const next = safeNext(req.body?.next);
    const email = str(req.body?.email);
    const out = await login(ctx, { email, password: str(req.body?.password), ip: req.ip ?? null });
    if (!out.ok) {
      res.status(out.motivo === 'troppi_tentativi_ip' ? 429 : 422).render('login', { title: 'Accesso', next, email, errore: out.messaggio, ...loginInfo });
      return;
    }
    startSession(req, res, out.sessione.id);
    // Without a page asked for, each role lands where its day starts (a social worker: the alarms).
    res.redirect(303, next === '/' ? paginaIniziale(out.utente) : next);
  });

  r.get('/logout', (req, res) => {
    if (!req.user) return res.redirect(302, '/login');
    res.render('login', { title: 'Esci', esci: true });
  });

  r.post('/logout', async (req, res) => {
    if (req.user && req.sessione) await logout(ctx, { sessione: req.sessione, utente: req.user, ip: req.ip ?? null });
    clearCookie(req, res, SESSION_COOKIE, opts);
    res.redirect(303, '/login?uscito=1');
  });

  r.get('/password', requireLogin, (req, res) => {
    res.render('password', { title: 'Cambia password', minimo: PASSWORD_MIN, obbligatoria: req.user?.cambio_password === true });
  });

  r.post('/password', requireLogin, async (req, res) => {
    const out = await changePassword(
      ctx,
      { sessione: req.sessione!, utente: req.user!, ip: req.ip ?? null },
      { attuale: str(req.body?.attuale), nuova: str(req.body?.nuova), conferma: str(req.body?.conferma) },
    );
    if (!out.ok) {
      res.status(422).render('password', { title: 'Cambia password', minimo: PASSWORD_MIN, errore: out.errore, obbligatoria: req.user?.cambio_password === true });
      return;
    }
    startSession(req, res, out.sessione.id);
    // The page is rendered with the new session's token, so a second change works at once.
    res.render('password', { title: 'Cambia password', minimo: PASSWORD_MIN, fatto: true, csrf: out.sessione.csrf });
  });

  return r;
}
