import express, { Request, Response } from 'express';
import type { AppContext } from '../context';
import { audit, chi } from '../audit';
import { dataOra, toCsv } from '../audit/formato';
import { permit } from '../auth/permessi';
import type { Utente } from '../auth/types';
import { AllarmeOperatore, elencoAllarmi, prendiVisione, riepilogoUdp } from './allarmi';
import { ETICHETTE, GIORNI_ALLARME_VECCHIO, isTipo, TIPI_VARIAZIONE, TipoVariazione } from './tipi';

/** A malformed parameter: 400 (the app's error handler shows its generic message). */
class RichiestaNonValida extends Error {
  readonly status = 400;
  readonly expose = true;
}

function tipoRichiesto(req: Request): TipoVariazione | null {
  const t = req.query.tipo;
  if (t === undefined || t === '') return null;
  if (!isTipo(t)) throw new RichiestaNonValida(`tipo di variazione non valido`);
  return t;
}

/** The ids ticked in the form (`id`, repeated) or the one button pressed (`solo`), or JSON `ids`. */
function idsRichiesti(body: unknown): number[] {
  const b = (body ?? {}) as Record<string, unknown>;
  const raw = b.solo !== undefined && b.solo !== '' ? [b.solo] : ([] as unknown[]).concat(b.ids ?? b.id ?? []);
  const ids = raw.map((x) => (typeof x === 'number' ? x : typeof x === 'string' && /^\d{1,15}$/.test(x) ? Number(x) : NaN));
  if (ids.some((x) => !Number.isSafeInteger(x) || x <= 0) || ids.length > 1000) throw new RichiestaNonValida('identificativi non validi');
  return ids;
}

function operatoreDi(user: Utente): string {
  // permit('notifiche.*') let only the UdP and operatore accounts through; an operatore is bound
  // to one operatore_id by a database constraint.
  return user.operatore_id as string;
}

/**
 * /notifiche: an operatore's registry-variation alarms (their own only: the id comes from the
 * account, never from the request), acknowledged by a POST with the CSRF token; for the UdP,
 * the board of open alarms per comune. /api/notifiche is the JSON twin (`?formato=csv`).
 */
export function notificheRouter(ctx: AppContext): express.Router {
  const r = express.Router();
  const tz = ctx.config.tzScheduler;
  const tipi = (scelto: TipoVariazione | null) => TIPI_VARIAZIONE.map((t) => ({ valore: t, etichetta: ETICHETTE[t], scelto: t === scelto }));

  const vistaAllarme = (a: AllarmeOperatore) => ({
    ...a,
    etichetta: ETICHETTE[a.tipo],
    decesso: a.tipo === 'decesso',
    creato: dataOra(a.creato_il, tz),
    visto: dataOra(a.preso_visione_il, tz),
    cambioFamiglia: a.persona.id_famiglia_precedente !== a.persona.id_famiglia,
  });

  r.get('/notifiche', permit('notifiche.vedere'), async (req: Request, res: Response) => {
    const user = req.user!;
    const tipo = tipoRichiesto(req);
    if (user.ruolo === 'udp') {
      const s = await riepilogoUdp(ctx.db, { ora: ctx.clock.now() });
      const riga = (a: (typeof s.oltre_soglia)[number]) => ({ ...a, etichetta: ETICHETTE[a.tipo], creato: dataOra(a.creato_il, tz) });
      res.render('notifiche-udp', {
        title: 'Notifiche anagrafiche',
        giorni: GIORNI_ALLARME_VECCHIO,
        comuni: s.comuni,
        oltre: s.oltre_soglia.map(riga),
        senzaEmail: s.senza_email.map((a) => ({ ...riga(a), senzaOperatore: a.motivo === 'senza_operatore' })),
      });
      return;
    }
    const allarmi = (await elencoAllarmi(ctx.db, operatoreDi(user), { tipo })).map(vistaAllarme);
    const aperti = allarmi.filter((a) => !a.preso_visione_il);
    res.render('notifiche', {
      title: 'Notifiche anagrafiche',
      tipi: tipi(tipo),
      tipo,
      aperti,
      visti: allarmi.filter((a) => a.preso_visione_il),
      viste: typeof req.query.viste === 'string' && /^\d+$/.test(req.query.viste) ? Number(req.query.viste) : null,
      csv: `/api/notifiche?formato=csv${tipo ? `&tipo=${tipo}` : ''}`,
    });
  });

  r.get('/api/notifiche', permit('notifiche.vedere'), async (req: Request, res: Response) => {
    const user = req.user!;
    const tipo = tipoRichiesto(req);
    const csv = req.query.formato === 'csv';
    if (user.ruolo === 'udp') {
      const s = await riepilogoUdp(ctx.db, { ora: ctx.clock.now() });
      if (csv) {
        res.type('text/csv; charset=utf-8').attachment('notifiche.csv');
        res.send(toCsv(['codice_istat', 'comune', 'aperti', `aperti_oltre_${GIORNI_ALLARME_VECCHIO}_giorni`, 'presi_in_visione'], s.comuni.map((c) => [c.codice_istat, c.comune, c.aperti, c.oltre_soglia, c.visti])));
        return;
      }
      res.json(s);
      return;
    }
    const allarmi = await elencoAllarmi(ctx.db, operatoreDi(user), { tipo });
    if (csv) {
      await audit(ctx.db, { ...chi(req), azione: 'esportazione', dettagli: { pagina: '/api/notifiche', formato: 'csv', tipo } });
      res.type('text/csv; charset=utf-8').attachment('notifiche.csv');
      res.send(
        toCsv(
          ['id', 'tipo', 'id_cartella', 'codice_istat', 'data_precedente', 'data_snapshot', 'codice_fiscale', 'cognome', 'nome', 'data_evento', 'compito', 'preso_visione_il'],
          allarmi.map((a) => [a.id, a.tipo, a.id_cartella, a.codice_istat, a.data_precedente, a.data_snapshot, a.persona.codice_fiscale, a.persona.cognome, a.persona.nome, a.persona.data_evento, a.compito, a.preso_visione_il]),
        ),
      );
      return;
    }
    res.json({ operatore_id: user.operatore_id, aperti: allarmi.filter((a) => !a.preso_visione_il).length, allarmi });
  });

  const conferma = async (req: Request) => {
    const user = req.user!;
    const ids = idsRichiesti(req.body);
    const n = await prendiVisione(ctx.db, { utente_id: user.id, email: user.email, operatore_id: operatoreDi(user) }, ids, ctx.clock.now());
    if (n) await audit(ctx.db, { ...chi(req), azione: 'notifiche_presa_visione', dettagli: { allarmi: ids, presi_in_visione: n } });
    return n;
  };

  r.post('/notifiche/presa-visione', permit('notifiche.confermare'), async (req: Request, res: Response) => {
    const n = await conferma(req);
    const tipo = typeof req.body?.tipo === 'string' && isTipo(req.body.tipo) ? `&tipo=${req.body.tipo}` : '';
    res.redirect(303, `/notifiche?viste=${n}${tipo}`);
  });

  r.post('/api/notifiche/presa-visione', permit('notifiche.confermare'), async (req: Request, res: Response) => {
    res.json({ presi_in_visione: await conferma(req) });
  });

  return r;
}
