import express, { Request, RequestHandler, Response } from 'express';
import type { AppContext } from '../context';
import { chi } from '../audit';
import { dataOra } from '../shared/formato';
import { permit } from '../auth/permessi';
import { authOptions, limitaRichieste } from '../auth';
import { clearCookie, PRE_CSRF_COOKIE, SESSION_COOKIE, setCookie, sign } from '../auth/cookies';
import { PASSWORD_MIN } from '../auth/password';
import { AccountError } from '../auth/utenti';
import { HttpError } from '../web/errori';
import { idPercorso } from '../web/parametri';
import { listComuni } from '../comuni/service';
import { chiediReimpostazione, impostaPassword, MSG_LINK_NON_VALIDO, paginaIniziale } from './inviti';
import { leggiToken, PERCORSO_IMPOSTA } from './token';
import { anteprimaComuni, cambiaRuolo, creaAccountComuni, creaConInvito, elencoUtenti, getUtente, impostaAttivo, reinviaInvito } from './service';

export const ETICHETTE_RUOLI: Record<string, string> = { udp: 'Ufficio di Piano', comune: 'Comune', operatore: 'Assistente sociale' };

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Public pages: "password dimenticata" and the page of the one-time link. */
export function accountPubblicoRouter(ctx: AppContext): express.Router {
  const r = express.Router();
  const opts = authOptions(ctx);
  const minimo = PASSWORD_MIN;
  // The login's limiter per address (auth/limitatore.ts) in front of what a stranger can use to
  // guess: the reset form and the one-time links. The reset also sends at most one e-mail per
  // account every INTERVALLO_REIMPOSTAZIONE_MS (inviti.ts).
  const limite = limitaRichieste(ctx, 'accesso');

  r.get('/password/dimenticata', (_req, res) => {
    res.render('password-dimenticata', { title: 'Password dimenticata' });
  });

  r.post('/password/dimenticata', limite, (req, res) => {
    chiediReimpostazione(ctx, str(req.body?.email).toLowerCase(), req.ip ?? null);
    // The same answer whether the address has an account or not.
    res.render('password-dimenticata', { title: 'Password dimenticata', inviata: true });
  });

  const token = (req: Request) => String(req.params.token ?? '');

  r.get(`${PERCORSO_IMPOSTA}:token`, limite, async (req, res) => {
    const t = await leggiToken(ctx.db, token(req), ctx.clock.now());
    res.status(t ? 200 : 410).render('imposta-password', { title: t?.scopo === 'invito' ? 'Attiva il tuo account' : 'Scegli una nuova password', t, minimo, non_valido: t ? null : MSG_LINK_NON_VALIDO, azione: req.originalUrl.split('?')[0] });
  });

  r.post(`${PERCORSO_IMPOSTA}:token`, limite, async (req: Request, res: Response) => {
    const out = await impostaPassword(ctx, token(req), { nuova: str(req.body?.nuova), conferma: str(req.body?.conferma) }, req.ip ?? null);
    if (!out.ok) {
      const t = await leggiToken(ctx.db, token(req), ctx.clock.now());
      res.status(out.scaduto ? 410 : 422).render('imposta-password', { title: 'Scegli la password', t, minimo, errore: out.scaduto ? null : out.errore, non_valido: out.scaduto ? out.errore : null, azione: req.originalUrl.split('?')[0] });
      return;
    }
    setCookie(req, res, SESSION_COOKIE, sign(out.sessione.id, opts.secret), opts);
    clearCookie(req, res, PRE_CSRF_COOKIE, opts);
    res.redirect(303, paginaIniziale(out.utente));
  });

  return r;
}

/** /utenti: the office manages the accounts. */
export function accountRouter(ctx: AppContext): express.Router {
  const r = express.Router();
  const tz = ctx.config.tzScheduler;
  const idParam = (v: unknown) => idPercorso(v, 'Account non trovato');
  const comuni = async () => (await listComuni(ctx.db)).map(({ codice_istat, nome }) => ({ codice_istat, nome }));

  const elenco = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const utenti = await elencoUtenti(ctx);
    const now = ctx.clock.now().getTime();
    res.status(status).render('utenti', {
      title: 'Account',
      utenti: utenti.map((u) => ({
        ...u,
        ruolo_: ETICHETTE_RUOLI[u.ruolo],
        ultimo: dataOra(u.ultimo_accesso, tz),
        bloccato: u.bloccato_fino != null && new Date(u.bloccato_fino).getTime() > now,
        io: u.id === req.user?.id,
      })),
      comuni: await comuni(),
      ruoli: Object.entries(ETICHETTE_RUOLI).map(([valore, etichetta]) => ({ valore, etichetta })),
      smtp: Boolean(ctx.config.smtpUrl),
      esito: typeof req.query.esito === 'string' ? req.query.esito.slice(0, 200) : null,
      ...extra,
    });
  };

  r.get('/utenti', permit('utenti.gestire'), (req, res) => elenco(req, res));

  r.post('/utenti', permit('utenti.gestire'), async (req, res) => {
    const dati = { email: str(req.body?.email), ruolo: str(req.body?.ruolo), codice_istat: str(req.body?.codice_istat) || null, operatore_id: str(req.body?.operatore_id) || null };
    try {
      const out = await creaConInvito(ctx, dati, chi(req));
      res.redirect(303, `/utenti?esito=${encodeURIComponent(`Account creato: invito mandato a ${dati.email.toLowerCase()}.${out.avvisi.length ? ` ${out.avvisi.join(' ')}` : ''}`)}`);
    } catch (e) {
      if (!(e instanceof AccountError)) throw e;
      await elenco(req, res, { errore: e.message, valori: dati }, 422);
    }
  });

  const azione = (fn: (id: number, req: Request) => Promise<string>): RequestHandler => async (req, res) => {
    const id = idParam(req.params.id);
    if (!(await getUtente(ctx, id))) throw new HttpError(404, 'Account non trovato');
    try {
      res.redirect(303, `/utenti?esito=${encodeURIComponent(await fn(id, req))}`);
    } catch (e) {
      if (!(e instanceof AccountError)) throw e;
      await elenco(req, res, { errore: e.message }, 422);
    }
  };

  r.post('/utenti/:id/disattiva', permit('utenti.gestire'), azione(async (id, req) => {
    await impostaAttivo(ctx, id, false, chi(req));
    return 'Account disattivato: le sue sessioni sono state chiuse.';
  }));
  r.post('/utenti/:id/riattiva', permit('utenti.gestire'), azione(async (id, req) => {
    await impostaAttivo(ctx, id, true, chi(req));
    return 'Account riattivato.';
  }));
  r.post('/utenti/:id/invito', permit('utenti.gestire'), azione(async (id, req) => {
    await reinviaInvito(ctx, id, chi(req));
    return 'Nuovo invito mandato: il link precedente non vale più.';
  }));
  r.post('/utenti/:id/ruolo', permit('utenti.gestire'), azione(async (id, req) => {
    await cambiaRuolo(ctx, id, { ruolo: str(req.body?.ruolo), codice_istat: str(req.body?.codice_istat) || null, operatore_id: str(req.body?.operatore_id) || null }, chi(req));
    return 'Profilo aggiornato: le sessioni aperte di quell\'account sono state chiuse.';
  }));

  r.get('/utenti/:id', permit('utenti.gestire'), async (req, res) => {
    const u = await getUtente(ctx, idParam(req.params.id));
    if (!u) throw new HttpError(404, 'Account non trovato');
    res.render('utente', { title: `Account ${u.email}`, u: { ...u, ruolo_: ETICHETTE_RUOLI[u.ruolo], ultimo: dataOra(u.ultimo_accesso, tz), creato: dataOra(u.creato_il, tz) }, comuni: (await comuni()).map((c) => ({ ...c, scelto: c.codice_istat === u.codice_istat })), ruoli: Object.entries(ETICHETTE_RUOLI).map(([valore, etichetta]) => ({ valore, etichetta, scelto: valore === u.ruolo })) });
  });

  r.get('/utenti-comuni', permit('utenti.gestire'), async (_req, res) => {
    const a = await anteprimaComuni(ctx);
    res.render('utenti-comuni', { title: 'Account dei comuni', ...a, da_creare: a.proposte.filter((p) => p.esito === 'da_creare').length, smtp: Boolean(ctx.config.smtpUrl) });
  });

  r.post('/utenti-comuni', permit('utenti.gestire'), async (req, res) => {
    const raw = req.body?.scelti;
    const scelti = (Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : []).filter((s): s is string => typeof s === 'string').slice(0, 5000);
    if (!scelti.length) throw new HttpError(400, 'Nessun account scelto.');
    const out = await creaAccountComuni(ctx, scelti, chi(req));
    res.redirect(303, `/utenti?esito=${encodeURIComponent(`Account dei comuni creati: ${out.creati.length}, ciascuno con il suo invito.${out.saltati.length ? ` Saltati ${out.saltati.length} (nel frattempo già creati o non più proposti): ${out.saltati.join(', ')}.` : ''}`)}`);
  });

  return r;
}
