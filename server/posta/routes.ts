import express, { Request } from 'express';
import type { AppContext } from '../context';
import { audit, chi } from '../audit';
import { dataOra } from '../shared/formato';
import { toCsv } from '../web/csv';
import { idPercorso, scelta } from '../web/parametri';
import { permit } from '../auth/permessi';
import { HttpError } from '../web/errori';
import { anteprima, CSP_ANTEPRIMA } from './anteprima';
import { contaPerStato, FiltroPosta, getMessaggio, listMessaggi, StatoReport } from './messaggi';
import { reinvia, TIPI_MESSAGGIO, TipoMessaggio } from './outbox';

/** /posta (the outbox, UdP only), /posta/:id with a rendered preview, /api/posta. */

const STATI: StatoReport[] = ['in_attesa', 'inviato', 'fallito', 'scartato'];
const ETICHETTE: Record<StatoReport, string> = { in_attesa: 'In attesa', inviato: 'Inviato', fallito: 'Da ritentare', scartato: 'Scartato' };
const BADGE: Record<StatoReport, string> = { in_attesa: 'bg-secondary', inviato: 'bg-success', fallito: 'bg-warning', scartato: 'bg-danger' };
const LIMITE_PAGINA = 500;

function filtri(q: Record<string, unknown>): FiltroPosta {
  scelta(q, 'formato', ['json', 'csv']);
  scelta(q, 'esito', ['reinvio']);
  return {
    stato: scelta(q, 'stato', STATI as StatoReport[]),
    tipo: scelta(q, 'tipo', TIPI_MESSAGGIO as readonly TipoMessaggio[]),
  };
}

const COLONNE = ['id', 'tipo', 'codice_istat', 'destinatario', 'oggetto', 'stato', 'tentativi', 'creato_il', 'inviato_il', 'riferimento', 'prossimo_tentativo', 'ultimo_errore'] as const;

export function postaRouter(ctx: AppContext): express.Router {
  const r = express.Router();
  const tz = ctx.config.tzScheduler;
  const idParam = (req: Request) => idPercorso(req.params.id, 'Messaggio non trovato');

  r.get('/posta', permit('posta.vedere'), async (req, res) => {
    const f = filtri(req.query);
    const messaggi = await listMessaggi(ctx.db, { ...f, limite: LIMITE_PAGINA });
    const n = await contaPerStato(ctx.db);
    const q = (extra: Record<string, string>) => new URLSearchParams({ ...(f.stato ? { stato: f.stato } : {}), ...(f.tipo ? { tipo: f.tipo } : {}), ...extra }).toString();
    res.render('posta', {
      title: 'Posta in uscita',
      smtp: Boolean(ctx.config.smtpUrl),
      conteggi: STATI.map((s) => ({ stato: s, etichetta: ETICHETTE[s], badge: BADGE[s], n: n[s] })),
      stati: STATI.map((s) => ({ valore: s, etichetta: ETICHETTE[s], scelto: s === f.stato })),
      tipi: TIPI_MESSAGGIO.map((t) => ({ valore: t, scelto: t === f.tipo })),
      messaggi: messaggi.map((m) => ({ ...m, etichetta: ETICHETTE[m.stato], badge: BADGE[m.stato], creato: dataOra(m.creato_il, tz), inviato: dataOra(m.inviato_il, tz), prossimo: dataOra(m.prossimo_tentativo, tz) })),
      limite: messaggi.length >= LIMITE_PAGINA ? LIMITE_PAGINA : null,
      api: `/api/posta?${q({})}`,
      csv: `/api/posta?${q({ formato: 'csv' })}`,
    });
  });

  r.get('/posta/:id', permit('posta.vedere'), async (req, res) => {
    const m = await getMessaggio(ctx.db, idParam(req));
    if (!m) throw new HttpError(404, 'Messaggio non trovato');
    res.render('posta-messaggio', {
      title: `Messaggio ${m.id}`,
      m: { ...m, etichetta: ETICHETTE[m.stato], badge: BADGE[m.stato], creato: dataOra(m.creato_il, tz), inviato: dataOra(m.inviato_il, tz), prossimo: dataOra(m.prossimo_tentativo, tz) },
      reinviabile: m.stato === 'scartato' || m.stato === 'fallito',
      esito: req.query.esito === 'reinvio' ? 'Messaggio rimesso in coda: partirà al prossimo invio.' : null,
    });
  });

  // The e-mail itself, for the sandboxed iframe of /posta/:id, and its styles.
  r.get('/posta/:id/anteprima', permit('posta.vedere'), async (req, res) => {
    const m = await getMessaggio(ctx.db, idParam(req));
    if (!m) throw new HttpError(404, 'Messaggio non trovato');
    res.setHeader('Content-Security-Policy', CSP_ANTEPRIMA);
    res.setHeader('X-Frame-Options', 'SAMEORIGIN');
    res.type('html').send(anteprima(m.html, `/posta/${m.id}/anteprima.css`).html);
  });

  r.get('/posta/:id/anteprima.css', permit('posta.vedere'), async (req, res) => {
    const m = await getMessaggio(ctx.db, idParam(req));
    if (!m) throw new HttpError(404, 'Messaggio non trovato');
    res.type('css').send(anteprima(m.html, '').css);
  });

  r.post('/posta/:id/reinvia', permit('posta.vedere'), async (req, res) => {
    const id = idParam(req);
    if (!(await reinvia(ctx.db.knex, id))) throw new HttpError(409, 'Solo un messaggio scartato o da ritentare può essere rimesso in coda.');
    await audit(ctx.db, { ...chi(req), azione: 'posta_reinvio', dettagli: { messaggio: id } });
    res.redirect(303, `/posta/${id}?esito=reinvio`);
  });

  r.get('/api/posta', permit('posta.vedere'), async (req, res) => {
    const f = filtri(req.query);
    const messaggi = await listMessaggi(ctx.db, f);
    if (req.query.formato === 'csv') {
      await audit(ctx.db, { ...chi(req), azione: 'esportazione', dettagli: { pagina: '/api/posta', formato: 'csv', righe: messaggi.length } });
      res.type('text/csv; charset=utf-8').attachment('posta.csv');
      res.send(toCsv([...COLONNE], messaggi.map((m) => COLONNE.map((c) => m[c]))));
      return;
    }
    res.json({ messaggi });
  });

  return r;
}
