import express, { Request, Response } from 'express';
import type { AppContext } from '../context';
import { chi } from '../audit';
import { dataOra } from '../shared/formato';
import { permit } from '../auth/permessi';
import { HttpError } from '../web/errori';
import { idPercorso } from '../web/parametri';
import { getComune } from '../comuni/service';
import { accountDelComune, decidi, richieste, richiedi, RichiestaNonValida, RUOLI_RICHIESTI } from './credenziali';

/**
 * Account review ("aggiornamento credenziali"): /credenziali/:istat for a comune (its accounts,
 * confirm / ask removal / ask addition), /credenziali for the office (approve or reject).
 */
const ETICHETTE_TIPO: Record<string, string> = { conferma: 'Conferma', rimozione: 'Rimozione', aggiunta: 'Nuovo account' };
const ETICHETTE_STATO: Record<string, string> = { registrata: 'confermato', in_attesa: "in attesa dell'Ufficio di Piano", approvata: 'approvata', respinta: 'respinta' };
const RUOLI: Record<string, string> = { udp: 'Ufficio di Piano', comune: 'Comune', operatore: 'Assistente sociale' };

export function credenzialiRouter(ctx: AppContext): express.Router {
  const r = express.Router();
  const tz = ctx.config.tzScheduler;
  const istatParam = (v: unknown): string => {
    if (typeof v !== 'string' || !/^\d{6}$/.test(v)) throw new HttpError(404, 'Comune non trovato');
    return v;
  };
  const esito = (req: Request) => (typeof req.query.esito === 'string' ? req.query.esito.slice(0, 300) : null);

  const pagina = async (req: Request, res: Response, istat: string, extra: Record<string, unknown> = {}, status = 200) => {
    const c = await getComune(ctx.db, istat);
    if (!c) throw new HttpError(404, 'Comune non trovato');
    const account = await accountDelComune(ctx, istat);
    res.status(status).render('credenziali-comune', {
      title: `Account del comune: ${c.nome}`,
      c,
      account: account.map((a) => ({ ...a, ruolo_it: RUOLI[a.ruolo] ?? a.ruolo, ultimo: dataOra(a.ultimo_accesso, tz), richiesta_it: a.richiesta ? `${ETICHETTE_TIPO[a.richiesta.tipo]}: ${ETICHETTE_STATO[a.richiesta.stato]} (${dataOra(a.richiesta.richiesta_il, tz)})` : null })),
      in_attesa: (await richieste(ctx)).filter((q) => q.codice_istat === istat && q.tipo === 'aggiunta').map((q) => ({ ...q, ruolo_it: RUOLI[q.ruolo ?? ''] })),
      ruoli: Object.entries(RUOLI_RICHIESTI).map(([valore, etichetta]) => ({ valore, etichetta })),
      puo_chiedere: req.user!.ruolo === 'comune',
      esito: esito(req),
      ...extra,
    });
  };

  r.get('/credenziali/:istat', permit('credenziali.vedere', (req) => ({ codice_istat: String(req.params.istat) })), (req, res) => pagina(req, res, istatParam(req.params.istat)));

  r.post('/credenziali/:istat', permit('credenziali.richiedere', (req) => ({ codice_istat: String(req.params.istat) })), async (req, res) => {
    const istat = istatParam(req.params.istat);
    try {
      const msg = await richiedi(ctx, istat, req.body ?? {}, chi(req));
      res.redirect(303, `/credenziali/${istat}?esito=${encodeURIComponent(msg)}`);
    } catch (e) {
      if (!(e instanceof RichiestaNonValida)) throw e;
      await pagina(req, res, istat, { errore: e.message }, 422);
    }
  });

  const elenco = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const vista = (q: Awaited<ReturnType<typeof richieste>>[number]) => ({ ...q, tipo_it: ETICHETTE_TIPO[q.tipo], stato_it: ETICHETTE_STATO[q.stato], ruolo_it: q.ruolo ? RUOLI[q.ruolo] : null, quando: dataOra(q.richiesta_il, tz) });
    res.status(status).render('credenziali', { title: 'Aggiornamento credenziali', richieste: (await richieste(ctx)).map(vista), decise: (await richieste(ctx, true)).filter((q) => q.stato !== 'in_attesa').map(vista), esito: esito(req), ...extra });
  };
  r.get('/credenziali', permit('utenti.gestire'), (req, res) => elenco(req, res));

  const decisione = (approva: boolean) => async (req: Request, res: Response) => {
    const id = idPercorso(req.params.id, 'Richiesta non trovata');
    try {
      const msg = await decidi(ctx, id, approva, chi(req));
      if (!msg) throw new HttpError(409, 'Richiesta inesistente o già decisa.');
      res.redirect(303, `/credenziali?esito=${encodeURIComponent(msg)}`);
    } catch (e) {
      if (!(e instanceof RichiestaNonValida)) throw e;
      await elenco(req, res, { errore: e.message }, 422);
    }
  };
  r.post('/credenziali/richieste/:id/approva', permit('utenti.gestire'), decisione(true));
  r.post('/credenziali/richieste/:id/respingi', permit('utenti.gestire'), decisione(false));

  return r;
}
