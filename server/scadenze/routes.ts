import express, { Request, Response } from 'express';
import type { AppContext } from '../context';
import { audit, chi } from '../audit';
import { dataOra } from '../shared/formato';
import { toCsv } from '../web/csv';
import { codiceIstat, idPercorso, scelta } from '../web/parametri';
import { authorize, comuniInPieno, permit } from '../auth/permessi';
import { HttpError } from '../web/errori';
import { listComuni } from '../comuni/service';
import { messaggiDellaScadenza } from '../posta/messaggi';
import { frasePrevisione, motivoRischio, scadutaIl } from './parole';
import {
  createScadenza,
  ETICHETTE_STATO,
  ETICHETTE_TIPO,
  esisteScadenza,
  getScadenza,
  listScadenze,
  preseVisione,
  Scadenza,
  ScadenzaInput,
  ScadenzaNonValida,
  segnaCompletata,
  setChiusa,
  STATI_SCADENZA,
  StatoScadenza,
  TIPI_SCADENZA,
  TipoScadenza,
  updateScadenza,
} from './service';

/** /scadenze (board, forms), /api/scadenze (JSON and CSV). Thin: the service does the work. */

const BADGE: Record<StatoScadenza, string> = { da_fare: 'bg-secondary', in_corso: 'bg-primary', a_rischio: 'bg-warning', scaduta: 'bg-danger', completata: 'bg-success' };
const VISTE = ['aperte', 'chiuse', 'tutte'] as const;
type Vista = (typeof VISTE)[number];

interface Filtri {
  stato: StatoScadenza | null;
  tipo: TipoScadenza | null;
  comune: string | null;
  vista: Vista;
}

function filtri(q: Record<string, unknown>): Filtri {
  scelta(q, 'formato', ['json', 'csv']);
  return {
    stato: scelta(q, 'stato', STATI_SCADENZA),
    tipo: scelta(q, 'tipo', TIPI_SCADENZA),
    comune: codiceIstat(q),
    vista: scelta(q, 'vista', VISTE) ?? 'aperte',
  };
}

function applica(rows: Scadenza[], f: Filtri): Scadenza[] {
  return rows.filter(
    (s) =>
      (f.vista === 'tutte' || (f.vista === 'chiuse') === s.chiusa) &&
      (!f.stato || s.stato === f.stato) &&
      (!f.tipo || s.tipo === f.tipo) &&
      (!f.comune || s.codice_istat === f.comune),
  );
}

/** The JSON shape of a deadline (also the CSV columns). */
function json(s: Scadenza, udp: boolean) {
  return {
    id: s.id,
    codice_istat: s.codice_istat,
    comune: s.comune,
    tipo: s.tipo,
    data_scadenza: s.data_scadenza,
    obiettivo: s.obiettivo,
    descrizione: s.descrizione,
    stato: s.stato,
    a_rischio: s.a_rischio,
    chiusa: s.chiusa,
    completata_il: s.completata_il ? new Date(s.completata_il).toISOString() : null,
    giorni: s.giorni,
    digit_tot: s.digit_tot,
    mancanti_obiettivo: s.mancanti_obiettivo,
    cartelle_siz: s.siz,
    cartelle_dichiarate: s.dichiarato,
    previsione_obiettivo: s.previsione_obiettivo,
    promemoria_inviati: s.promemoria_inviati,
    promemoria_in_coda: s.promemoria_in_coda,
    ultimo_promemoria: s.ultimo_promemoria ? new Date(s.ultimo_promemoria).toISOString() : null,
    prossimo_promemoria: s.prossimo_promemoria,
    prese_visione: s.prese_visione,
    ultima_presa_visione: s.ultima_presa_visione ? new Date(s.ultima_presa_visione).toISOString() : null,
    ...(udp ? { destinatari: s.destinatari } : {}),
  };
}

export function scadenzeRouter(ctx: AppContext): express.Router {
  const r = express.Router();
  const tz = ctx.config.tzScheduler;
  const idParam = (req: Request) => idPercorso(req.params.id, 'Scadenza non trovata');

  const vista = (s: Scadenza) => ({
    ...s,
    tipo_etichetta: ETICHETTE_TIPO[s.tipo] ?? s.tipo,
    // A passed deadline says when and since how long (server/scadenze/parole.ts).
    stato_etichetta: s.stato === 'scaduta' ? scadutaIl(s.data_scadenza, ctx.clock.today()) ?? ETICHETTE_STATO[s.stato] : ETICHETTE_STATO[s.stato],
    rischio: s.a_rischio ? motivoRischio({ digit_tot: s.digit_tot, esito: s.previsione_esito, previsione: s.previsione_scadenza, scadenza: s.data_scadenza, obiettivo: s.obiettivo }) : null,
    previsione_testo: s.previsione_scadenza && s.previsione_esito !== 'storia_insufficiente' && s.previsione_esito !== 'andamento_fermo' ? null : frasePrevisione({ esito: s.previsione_esito, previsione: null, scadenza: s.data_scadenza }),
    badge: BADGE[s.stato],
    ultimo_promemoria_it: dataOra(s.ultimo_promemoria, tz),
    ultima_presa_visione_it: dataOra(s.ultima_presa_visione, tz),
    completata_il_it: dataOra(s.completata_il, tz),
    obiettivo_modulo: s.obiettivo_predefinito ? '' : String(s.obiettivo),
  });

  async function board(req: Request, res: Response, extra: { errori?: Record<string, string>; valori?: ScadenzaInput } = {}, status = 200) {
    const oggi = ctx.clock.today();
    const f = filtri(req.query);
    const all = await listScadenze(ctx, { oggi, comuni: comuniInPieno(req.user!) });
    const shown = applica(all, f);
    const conteggi = STATI_SCADENZA.map((s) => ({ stato: s, etichetta: ETICHETTE_STATO[s], badge: BADGE[s], n: shown.filter((x) => x.stato === s).length }));
    const gestire = authorize(req.user, 'scadenze.gestire');
    const comuni = gestire ? await listComuni(ctx.db) : [];
    const valori = extra.valori ?? {};
    res.status(status).render('scadenze', {
      title: 'Scadenze',
      oggi,
      obiettivo: ctx.config.obiettivo,
      righe: shown.map(vista),
      conteggi,
      gestire,
      filtri: f,
      stati: STATI_SCADENZA.map((s) => ({ valore: s, etichetta: ETICHETTE_STATO[s], scelto: s === f.stato })),
      tipi: TIPI_SCADENZA.map((t) => ({ valore: t, etichetta: ETICHETTE_TIPO[t], scelto: t === f.tipo, nuovo: t === (valori.tipo ?? 'caricamento') })),
      viste: VISTE.map((v) => ({ valore: v, scelto: v === f.vista })),
      comuni: comuni.map((c) => ({ ...c, scelto: c.codice_istat === valori.codice_istat })),
      errori: extra.errori,
      valori,
      csv: `/api/scadenze?${new URLSearchParams({ ...queryOf(f), formato: 'csv' })}`,
      api: `/api/scadenze?${new URLSearchParams(queryOf(f))}`,
    });
  }

  r.get('/scadenze', permit('scadenze.vedere'), async (req, res) => board(req, res));

  r.post('/scadenze', permit('scadenze.gestire'), async (req, res) => {
    try {
      const id = await createScadenza(ctx.db, req.body ?? {});
      await audit(ctx.db, { ...chi(req), azione: 'scadenza_creata', dettagli: { scadenza: id, codice_istat: req.body?.codice_istat, tipo: req.body?.tipo, data_scadenza: req.body?.data_scadenza } });
      res.redirect(303, `/scadenze/${id}?esito=creata`);
    } catch (e) {
      if (!(e instanceof ScadenzaNonValida)) throw e;
      await board(req, res, { errori: e.errori, valori: req.body ?? {} }, 422);
    }
  });

  r.get('/scadenze/:id', permit('scadenze.vedere'), async (req, res) => {
    const s = await getScadenza(ctx, idParam(req), ctx.clock.today());
    if (!s || !authorize(req.user, 'scadenze.vedere', { codice_istat: s.codice_istat })) throw new HttpError(404, 'Scadenza non trovata');
    const udp = authorize(req.user, 'posta.vedere');
    const messaggi = udp
      ? (await messaggiDellaScadenza(ctx.db, s.id)).map((m) => ({
          ...m,
          quando: dataOra(m.inviato_il ?? m.creato_il, tz),
        }))
      : [];
    const viste = (await preseVisione(ctx.db, s.id)).map((v) => ({ ...v, quando: dataOra(v.registrata_il, tz) }));
    const gestire = authorize(req.user, 'scadenze.gestire');
    const e = scelta(req.query, 'esito', Object.keys(ESITI));
    const esito = e ? ESITI[e] : null;
    res.render('scadenze-dettaglio', {
      title: `Scadenza ${s.id}`,
      s: vista(s),
      tipi: TIPI_SCADENZA.map((t) => ({ valore: t, etichetta: ETICHETTE_TIPO[t], scelto: t === s.tipo })),
      comuni: gestire ? (await listComuni(ctx.db)).map((c) => ({ ...c, scelto: c.codice_istat === s.codice_istat })) : [],
      gestire,
      completabile: gestire && s.tipo !== 'caricamento' && !s.completata_il,
      messaggi,
      udp,
      viste,
      esito,
    });
  });

  r.post('/scadenze/:id', permit('scadenze.gestire'), async (req, res) => {
    const id = idParam(req);
    if (!(await esisteScadenza(ctx.db, id))) throw new HttpError(404, 'Scadenza non trovata');
    try {
      await updateScadenza(ctx.db, id, req.body ?? {});
    } catch (e) {
      if (!(e instanceof ScadenzaNonValida)) throw e;
      res.status(422).render('errore', { title: 'Dati non validi', status: 422, message: `Scadenza non salvata: ${e.message}`, ritorno: `/scadenze/${id}` });
      return;
    }
    await audit(ctx.db, { ...chi(req), azione: 'scadenza_modificata', dettagli: { scadenza: id } });
    res.redirect(303, `/scadenze/${id}?esito=salvata`);
  });

  const azione = (path: string, nome: string, fn: (id: number) => Promise<boolean>) =>
    r.post(`/scadenze/:id/${path}`, permit('scadenze.gestire'), async (req, res) => {
      const id = idParam(req);
      if (!(await fn(id))) throw new HttpError(404, 'Scadenza non trovata o azione non applicabile');
      await audit(ctx.db, { ...chi(req), azione: nome, dettagli: { scadenza: id } });
      res.redirect(303, `/scadenze/${id}?esito=${path}`);
    });
  azione('chiudi', 'scadenza_chiusa', (id) => setChiusa(ctx.db, id, true));
  azione('riapri', 'scadenza_riaperta', (id) => setChiusa(ctx.db, id, false));
  azione('completa', 'scadenza_completata', (id) => segnaCompletata(ctx.db, id, ctx.clock.now()));

  r.get('/api/scadenze', permit('scadenze.vedere'), async (req, res) => {
    const oggi = ctx.clock.today();
    const f = filtri(req.query);
    const udp = authorize(req.user, 'scadenze.gestire');
    const rows = applica(await listScadenze(ctx, { oggi, comuni: comuniInPieno(req.user!) }), f).map((s) => json(s, udp));
    if (req.query.formato === 'csv') {
      await audit(ctx.db, { ...chi(req), azione: 'esportazione', dettagli: { pagina: '/api/scadenze', formato: 'csv', righe: rows.length } });
      res.type('text/csv; charset=utf-8').attachment('scadenze.csv');
      res.send(toCsv(COLONNE_CSV, rows.map((x) => COLONNE_CSV.map((c) => (x as Record<string, unknown>)[c]))));
      return;
    }
    res.json({ generato_il: ctx.clock.now().toISOString(), oggi, obiettivo: ctx.config.obiettivo, scadenze: rows });
  });

  return r;
}

const COLONNE_CSV = [
  'id', 'codice_istat', 'comune', 'tipo', 'data_scadenza', 'obiettivo', 'descrizione', 'stato', 'a_rischio', 'chiusa', 'completata_il', 'giorni',
  'digit_tot', 'mancanti_obiettivo', 'cartelle_siz', 'cartelle_dichiarate', 'previsione_obiettivo',
  'promemoria_inviati', 'promemoria_in_coda', 'ultimo_promemoria', 'prossimo_promemoria', 'prese_visione', 'ultima_presa_visione',
];

const ESITI: Record<string, string> = {
  creata: 'Scadenza creata.',
  salvata: 'Modifiche salvate.',
  chiudi: 'Scadenza chiusa: i promemoria sono sospesi.',
  riapri: 'Scadenza riaperta: i promemoria riprendono alla prossima occasione.',
  completa: 'Scadenza segnata come completata: i promemoria si fermano.',
};

function queryOf(f: Filtri): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.stato) q.stato = f.stato;
  if (f.tipo) q.tipo = f.tipo;
  if (f.comune) q.comune = f.comune;
  if (f.vista !== 'aperte') q.vista = f.vista;
  return q;
}
