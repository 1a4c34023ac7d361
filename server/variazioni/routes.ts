import express, { Request, Response } from 'express';
import type { AppContext } from '../context';
import { audit, chi } from '../audit';
import { dataOra } from '../shared/formato';
import { toCsv } from '../web/csv';
import { permit } from '../auth/permessi';
import { scelta } from '../web/parametri';
import type { Utente } from '../auth/tipi';
import { AllarmeOperatore, contaAperti, elencoAllarmi, prendiVisione, riepilogoUdp } from './allarmi';
import { ETICHETTE, GIORNI_ALLARME_VECCHIO, isTipo, TIPI_VARIAZIONE, TipoVariazione } from './tipi';
import { AppError } from '../shared/errori';

/** A malformed parameter: 400 (the app's error handler shows its generic message). */
class RichiestaNonValida extends AppError {
  constructor(message: string) {
    super(message, { status: 400 });
  }
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

/** A page number: a positive integer, 1 when absent. */
function paginaRichiesta(req: Request): number {
  const p = req.query.pagina;
  if (p === undefined || p === '') return 1;
  if (typeof p !== 'string' || !/^[1-9]\d{0,5}$/.test(p)) throw new RichiestaNonValida('pagina non valida');
  return Number(p);
}

/** `?viste=N` (after an acknowledgement) and `?nessuna=1` (an empty selection). */
function esitoRichiesto(req: Request, nome: 'viste' | 'nessuna'): number | null {
  const v = req.query[nome];
  if (v === undefined || v === '') return null;
  if (typeof v !== 'string' || !/^\d{1,6}$/.test(v)) throw new RichiestaNonValida(`${nome} non valido`);
  return Number(v);
}

/** Cases (cartelle) per page of /notifiche: a day's work fits, the page stays short on a phone. */
export const CARTELLE_PER_PAGINA = 10;

/**
 * The open alarms grouped by case (cartella), the cases with a death first, then as the alarms
 * come (newest first); one page of them.
 */
export function gruppiPerCartella<T extends { id_cartella: string; tipo: string; comune: string | null; codice_istat: string }>(aperti: T[], pagina: number) {
  const gruppi = new Map<string, { id_cartella: string; comune: string; decesso: boolean; allarmi: T[] }>();
  for (const a of aperti) {
    let g = gruppi.get(a.id_cartella);
    if (!g) {
      g = { id_cartella: a.id_cartella, comune: a.comune ?? a.codice_istat, decesso: false, allarmi: [] };
      gruppi.set(a.id_cartella, g);
    }
    g.allarmi.push(a);
    if (a.tipo === 'decesso') g.decesso = true;
  }
  const tutti = [...gruppi.values()].sort((x, y) => Number(y.decesso) - Number(x.decesso));
  const pagine = Math.max(1, Math.ceil(tutti.length / CARTELLE_PER_PAGINA));
  const p = Math.min(pagina, pagine);
  return { gruppi: tutti.slice((p - 1) * CARTELLE_PER_PAGINA, p * CARTELLE_PER_PAGINA), pagina: p, pagine, cartelle: tutti.length };
}

/**
 * The number of alarms waiting, for the menu of an operatore's every page (one indexed count).
 */
export function conteggioNotifiche(ctx: AppContext): express.RequestHandler {
  return async (req, res, next) => {
    try {
      const u = req.user;
      if (u?.ruolo === 'operatore' && u.operatore_id && Array.isArray(res.locals.menu)) {
        const n = await contaAperti(ctx.db, u.operatore_id);
        if (n > 0) {
          res.locals.conteggioNotifiche = n;
          res.locals.menu = (res.locals.menu as { href: string }[]).map((v) =>
            v.href === '/notifiche' ? { ...v, conteggio: n, conteggioTesto: n === 1 ? 'notifica da vedere' : 'notifiche da vedere' } : v,
          );
        }
      }
      next();
    } catch (e) {
      next(e);
    }
  };
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
    tipo: a.tipo,
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
    const pagina = paginaRichiesta(req);
    const viste = esitoRichiesto(req, 'viste');
    const nessuna = esitoRichiesto(req, 'nessuna');
    const allarmi = (await elencoAllarmi(ctx.db, operatoreDi(user), { tipo })).map(vistaAllarme);
    const aperti = allarmi.filter((a) => !a.preso_visione_il);
    const g = gruppiPerCartella(aperti, pagina);
    const link = (p: number) => `/notifiche?${new URLSearchParams({ ...(tipo ? { tipo } : {}), ...(p > 1 ? { pagina: String(p) } : {}) }).toString()}`.replace(/\?$/, '');
    res.render('notifiche', {
      title: 'Notifiche anagrafiche',
      tipi: tipi(tipo),
      tipo,
      aperti,
      decessi: aperti.filter((a) => a.decesso).length,
      gruppi: g.gruppi,
      paginazione:
        g.pagine > 1
          ? {
              pagina: g.pagina,
              pagine: g.pagine,
              cartelle: g.cartelle,
              precedente: g.pagina > 1 ? link(g.pagina - 1) : null,
              successiva: g.pagina < g.pagine ? link(g.pagina + 1) : null,
              voci: Array.from({ length: g.pagine }, (_, i) => ({ n: i + 1, href: link(i + 1), attiva: i + 1 === g.pagina })),
            }
          : null,
      pagina: g.pagina,
      visti: allarmi.filter((a) => a.preso_visione_il),
      viste,
      nessuna: nessuna != null,
      csv: `/api/notifiche?formato=csv${tipo ? `&tipo=${tipo}` : ''}`,
    });
  });

  r.get('/api/notifiche', permit('notifiche.vedere'), async (req: Request, res: Response) => {
    const user = req.user!;
    const tipo = tipoRichiesto(req);
    const csv = scelta(req.query, 'formato', ['json', 'csv']) === 'csv';
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
    const tipo = typeof req.body?.tipo === 'string' && isTipo(req.body.tipo) ? `&tipo=${req.body.tipo}` : '';
    // Nothing ticked: the page says so (without JavaScript too), nothing is recorded.
    if (idsRichiesti(req.body).length === 0) return res.redirect(303, `/notifiche?nessuna=1${tipo}`);
    const n = await conferma(req);
    res.redirect(303, `/notifiche?viste=${n}${tipo}`);
  });

  r.post('/api/notifiche/presa-visione', permit('notifiche.confermare'), async (req: Request, res: Response) => {
    res.json({ presi_in_visione: await conferma(req) });
  });

  return r;
}
