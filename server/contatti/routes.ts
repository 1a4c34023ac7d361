import express, { Request, Response } from 'express';
import type { AppContext } from '../context';
import { chi } from '../audit';
import { dataOra } from '../shared/formato';
import { assertAuthorized, permit } from '../auth/permessi';
import { HttpError } from '../web/errori';
import { idPercorso } from '../web/parametri';
import { ContattoNonValido, decidiProposta, elencoContatti, impostaContatti, proponiContatti } from './service';

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const istatParam = (v: unknown): string => {
  if (typeof v !== 'string' || !/^\d{6}$/.test(v)) throw new HttpError(404, 'Comune non trovato');
  return v;
};

/** /contatti (the office: every comune) and /contatti/:istat (the office, or the comune's own users). */
export function contattiRouter(ctx: AppContext): express.Router {
  const r = express.Router();
  const tz = ctx.config.tzScheduler;
  const vista = (c: Awaited<ReturnType<typeof elencoContatti>>[number]) => ({ ...c, modificato: dataOra(c.email_ufficio_il, tz), proposte: c.proposte.map((p) => ({ ...p, quando: dataOra(p.proposta_il, tz) })) });

  const elenco = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const contatti = await elencoContatti(ctx);
    res.status(status).render('contatti', { title: 'Contatti dei comuni', contatti: contatti.map(vista), in_attesa: contatti.reduce((n, c) => n + c.proposte.length, 0), esito: typeof req.query.esito === 'string' ? req.query.esito.slice(0, 200) : null, ...extra });
  };

  r.get('/contatti', permit('contatti.gestire'), (req, res) => elenco(req, res));

  r.get('/contatti/:istat', permit('contatti.vedere', (req) => ({ codice_istat: String(req.params.istat) })), async (req, res) => {
    const [c] = await elencoContatti(ctx, istatParam(req.params.istat));
    if (!c) throw new HttpError(404, 'Comune non trovato');
    res.render('contatti-comune', { title: `Contatti: ${c.nome}`, c: vista(c), ufficio: req.user!.ruolo === 'udp', esito: typeof req.query.esito === 'string' ? req.query.esito.slice(0, 200) : null });
  });

  r.post('/contatti/:istat', permit('contatti.gestire'), async (req, res) => {
    const istat = istatParam(req.params.istat);
    try {
      await impostaContatti(ctx, istat, str(req.body?.email), chi(req));
    } catch (e) {
      if (!(e instanceof ContattoNonValido)) throw e;
      return elenco(req, res, { errore: e.message, errore_istat: istat }, 422);
    }
    res.redirect(303, `/contatti?esito=${encodeURIComponent('Contatti salvati.')}#c-${istat}`);
  });

  r.post('/contatti/:istat/proposta', permit('contatti.proporre', (req) => ({ codice_istat: String(req.params.istat) })), async (req, res) => {
    const istat = istatParam(req.params.istat);
    const [c] = await elencoContatti(ctx, istat);
    if (!c) throw new HttpError(404, 'Comune non trovato');
    try {
      await proponiContatti(ctx, istat, str(req.body?.email), str(req.body?.nota), chi(req));
    } catch (e) {
      if (!(e instanceof ContattoNonValido)) throw e;
      res.status(422).render('contatti-comune', { title: `Contatti: ${c.nome}`, c: vista(c), errore: e.message, valore: str(req.body?.email).slice(0, 2000) });
      return;
    }
    res.redirect(303, `/contatti/${istat}?esito=${encodeURIComponent("Proposta inviata all'Ufficio di Piano: i promemoria andranno ai nuovi indirizzi quando la accetterà.")}`);
  });

  const decidi = (accetta: boolean) => async (req: Request, res: Response) => {
    const id = idPercorso(req.params.id, 'Proposta non trovata');
    assertAuthorized(req.user, 'contatti.gestire');
    const p = await decidiProposta(ctx, id, accetta, chi(req));
    if (!p) throw new HttpError(409, 'Proposta inesistente o già decisa.');
    res.redirect(303, `/contatti?esito=${encodeURIComponent(accetta ? 'Proposta accettata: i contatti sono aggiornati.' : 'Proposta respinta.')}#c-${p.codice_istat}`);
  };
  r.post('/contatti/proposte/:id/accetta', permit('contatti.gestire'), decidi(true));
  r.post('/contatti/proposte/:id/respingi', permit('contatti.gestire'), decidi(false));

  return r;
}
