import express from 'express';
import type { AppContext } from '../context';
import { audit } from '../audit';
import { dataOra } from '../shared/formato';
import { EsitoPresaVisione, leggiPresaVisione, registraPresaVisione } from './presa-visione';

/**
 * /presa-visione/:token: the acknowledgement of a reminder. Public (the comune's staff have no
 * account to log in with): the signed token is the authorisation, so the form needs no CSRF
 * token of its own (a forged post would have to know the secret link). Mounted before the login
 * gate. GET shows a confirmation page and changes nothing, because mail scanners and link
 * previews open every link of a message; the POST of its button records the acknowledgement,
 * once. A tampered, unknown or expired token gets a clear page.
 */
export function presaVisioneRouter(ctx: AppContext): express.Router {
  const r = express.Router();
  const pagina = (res: express.Response, token: string, e: EsitoPresaVisione) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (e.esito === 'non_valido' || e.esito === 'scaduto') {
      const scaduto = e.esito === 'scaduto';
      res.status(scaduto ? 410 : 400).render('scadenze-presa-visione', {
        title: scaduto ? 'Link scaduto' : 'Link non valido',
        errore: true,
        titolo: scaduto ? 'Link scaduto' : 'Link non valido',
        messaggio: scaduto
          ? 'Questo link di presa visione è scaduto. Se il promemoria è ancora attuale, ne arriverà uno nuovo alla prossima occasione; per qualsiasi dubbio scrivere all\'Ufficio di Piano.'
          : "Questo link di presa visione non è valido: potrebbe essere stato copiato in modo incompleto o modificato. Aprire il link direttamente dal messaggio ricevuto.",
      });
      return;
    }
    if (e.esito === 'da_confermare') {
      res.status(200).render('scadenze-presa-visione', {
        title: 'Conferma la presa visione',
        titolo: 'Conferma la presa visione',
        conferma: true,
        azione: `/presa-visione/${encodeURIComponent(token)}`,
        messaggio: `Promemoria: "${e.descrizione}". Premere il pulsante per confermare di averlo letto: l'Ufficio di Piano vedrà la presa visione nel quadro delle scadenze.`,
      });
      return;
    }
    if (!('registrata_il' in e)) return; // every other outcome is handled above
    const quando = dataOra(e.registrata_il, ctx.config.tzScheduler);
    res.status(e.esito === 'registrata' ? 200 : 409).render('scadenze-presa-visione', {
      title: 'Presa visione',
      errore: e.esito !== 'registrata',
      titolo: e.esito === 'registrata' ? 'Presa visione registrata' : 'Presa visione già registrata',
      messaggio:
        e.esito === 'registrata'
          ? `Grazie: la presa visione del promemoria "${e.descrizione}" è stata registrata il ${quando} e l'Ufficio di Piano la vede nel quadro delle scadenze.`
          : `La presa visione del promemoria "${e.descrizione}" era già stata registrata il ${quando}: il link vale una sola volta e non registra nulla di nuovo.`,
    });
  };
  r.get('/presa-visione/:token', async (req, res) => {
    const token = String(req.params.token).slice(0, 2000);
    pagina(res, token, await leggiPresaVisione(ctx, token));
  });
  r.post('/presa-visione/:token', async (req, res) => {
    const token = String(req.params.token).slice(0, 2000);
    const e = await registraPresaVisione(ctx, token);
    if (e.esito === 'registrata') await audit(ctx.db, { azione: 'presa_visione', email: null, ip: req.ip ?? null, dettagli: { codice_istat: e.codice_istat } });
    pagina(res, token, e);
  });
  return r;
}
