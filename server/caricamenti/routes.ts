import express, { Request, Response } from 'express';
import type { AppContext } from '../context';
import { chi } from '../audit';
import { dataOra, dimensione } from '../shared/formato';
import { toCsv } from '../web/csv';
import { permit } from '../auth/permessi';
import { HttpError } from '../web/errori';
import { idPercorso } from '../web/parametri';
import { annulla, Caricamento, CaricamentoRifiutato, carica, getCaricamento, recentiCaricamenti, ricevi } from './service';
import { isTipo, TIPI, TIPI_CARICAMENTO, TipoCaricamento } from './tipi';
import { ESITI, getImportazione, Importazione, listImportazioni, partiProblema, tipiImportati } from './storico';

/**
 * Upload pages (/caricamenti, /caricamento/:id) and the import history (/importazioni), for the
 * office only (permessi.ts: importazioni.eseguire, importazioni.vedere). Thin: the work is in
 * service.ts and storico.ts.
 */
const STATI: Record<Caricamento['stato'], { etichetta: string; classe: string }> = {
  verifica: { etichetta: 'verifica in corso', classe: 'bg-primary' },
  verificato: { etichetta: 'verificato, da caricare', classe: 'bg-warning' },
  rifiutato: { etichetta: 'rifiutato', classe: 'bg-danger' },
  caricamento: { etichetta: 'caricamento in corso', classe: 'bg-primary' },
  caricato: { etichetta: 'caricato', classe: 'bg-success' },
  errore: { etichetta: 'errore', classe: 'bg-danger' },
  annullato: { etichetta: 'annullato', classe: 'bg-secondary' },
};
const ESITO: Record<string, { etichetta: string; classe: string }> = {
  ok: { etichetta: 'importata', classe: 'bg-success' },
  nessuna_modifica: { etichetta: 'nessuna modifica', classe: 'bg-secondary' },
  rifiutata: { etichetta: 'rifiutata', classe: 'bg-danger' },
  sospesa: { etichetta: 'sospesa, da confermare', classe: 'bg-warning' },
  confermata: { etichetta: 'sospesa, poi confermata', classe: 'bg-success' },
  errore: { etichetta: 'errore', classe: 'bg-danger' },
  in_corso: { etichetta: 'in corso', classe: 'bg-primary' },
};
const ETICHETTE_TABELLE: Record<string, string> = { cartelle: 'Cartelle', membri: 'Componenti delle cartelle', prestazioni: 'Prestazioni', accessi: 'Accessi allo sportello', operatori: 'Operatori', censimento: 'Righe del censimento (tutti i giri)', anagrafe: 'Residenti (tutti gli snapshot conservati)', scadenze: 'Scadenze', comuni: 'Comuni', nomenclatore: 'Codici del nomenclatore' };

const idParam = (v: unknown): number => idPercorso(v, 'Pagina non trovata');


function erroriCsv(righe: string[]): string {
  return toCsv(['file', 'riga', 'colonna', 'motivo'], righe.map(partiProblema));
}

export function caricamentiRouter(ctx: AppContext): express.Router {
  const r = express.Router();
  const tz = ctx.config.tzScheduler;

  const modulo = (res: Response, tipo: TipoCaricamento, extra: Record<string, unknown> = {}, status = 200) => {
    const d = TIPI[tipo];
    res.status(status).render('caricamenti-modulo', {
      title: `Carica: ${d.titolo}`,
      d,
      accept: d.estensioni.join(','),
      limite: dimensione(ctx.config.caricamentiMaxByte),
      limiteByte: ctx.config.caricamentiMaxByte,
      dataObbligatoria: d.data === 'obbligatoria',
      ...extra,
    });
  };

  r.get('/caricamenti', permit('importazioni.eseguire'), async (_req, res) => {
    const recenti = await recentiCaricamenti(ctx, 20);
    res.render('caricamenti', {
      title: 'Carica i dati',
      tipi: TIPI_CARICAMENTO.map((t) => TIPI[t]),
      limite: dimensione(ctx.config.caricamentiMaxByte),
      recenti: recenti.map((c) => ({ ...c, titolo: TIPI[c.tipo].titolo, stato_: STATI[c.stato], quando: dataOra(c.creato_il, tz), nomi: c.file.map((f) => f.nome).join(', ') })),
    });
  });

  r.get('/caricamenti/:tipo', permit('importazioni.eseguire'), (req, res) => {
    if (!isTipo(req.params.tipo)) throw new HttpError(404, 'Pagina non trovata');
    modulo(res, req.params.tipo);
  });

  r.post('/caricamenti/:tipo', permit('importazioni.eseguire'), async (req: Request, res: Response) => {
    const tipo = req.params.tipo;
    if (!isTipo(tipo)) throw new HttpError(404, 'Pagina non trovata');
    try {
      const c = await ricevi(ctx, req, tipo, chi(req));
      res.redirect(303, `/caricamento/${c.id}`);
    } catch (e) {
      if (!(e instanceof CaricamentoRifiutato)) throw e;
      // The browser may still be sending: the answer closes the connection after itself.
      if (!req.complete) res.setHeader('Connection', 'close');
      modulo(res, tipo, { problemi: e.problemi }, e.status);
    }
  });

  const vistaCaricamento = (c: Caricamento) => {
    const a = c.anteprima;
    const digit = a?.digitalizzazione ?? null;
    return {
      ...c,
      titolo: TIPI[c.tipo].titolo,
      stato_: STATI[c.stato],
      quando: dataOra(c.creato_il, tz),
      aggiornato: dataOra(c.aggiornato_il, tz),
      in_corso: c.stato === 'verifica' || c.stato === 'caricamento',
      file: c.file.map((f) => ({ ...f, dimensione: dimensione(f.byte) })),
      problemi: (c.errori ?? []).map(partiProblema).map(([file, riga, colonna, motivo]) => ({ file, riga, colonna, motivo })),
      messaggi: (c.messaggio ?? '').split('\n').filter(Boolean),
      tabelle: a?.tabelle.map((t) => ({ ...t, etichetta: ETICHETTE_TABELLE[t.tabella] ?? t.tabella, differenza: t.dopo - t.prima })) ?? [],
      digit_cambiano: digit?.filter((d) => d.cambia) ?? null,
      digit_tutti: digit,
      caricabile: c.stato === 'verificato' && !a?.nessuna_modifica,
    };
  };

  r.get('/caricamento/:id', permit('importazioni.eseguire'), async (req, res) => {
    const c = await getCaricamento(ctx, idParam(req.params.id));
    if (!c) throw new HttpError(404, 'Caricamento non trovato');
    res.render('caricamento', { title: `Caricamento n. ${c.id}: ${TIPI[c.tipo].titolo}`, c: vistaCaricamento(c) });
  });

  r.get('/api/caricamento/:id', permit('importazioni.eseguire'), async (req, res) => {
    const c = await getCaricamento(ctx, idParam(req.params.id));
    if (!c) throw new HttpError(404, 'Caricamento non trovato');
    const { cartella: _cartella, istanza: _istanza, ...pubblico } = c;
    res.json(pubblico);
  });

  r.get('/caricamento/:id/errori.csv', permit('importazioni.eseguire'), async (req, res) => {
    const c = await getCaricamento(ctx, idParam(req.params.id));
    if (!c || !c.errori) throw new HttpError(404, 'Nessun elenco di problemi per questo caricamento');
    res.type('text/csv; charset=utf-8').attachment(`problemi-caricamento-${c.id}.csv`).send(erroriCsv(c.errori));
  });

  r.post('/caricamento/:id/carica', permit('importazioni.eseguire'), async (req, res) => {
    const id = idParam(req.params.id);
    if (!(await getCaricamento(ctx, id))) throw new HttpError(404, 'Caricamento non trovato');
    const c = await getCaricamento(ctx, id);
    const confermaCalo = req.body?.conferma_calo === 'si';
    if (c?.anteprima?.calo?.length && !confermaCalo) throw new HttpError(400, 'Alcune tabelle perdono troppe righe: per caricare comunque, spuntare la conferma del calo sotto il riepilogo e premere di nuovo "Carica".');
    if (!(await carica(ctx, id, chi(req), confermaCalo))) throw new HttpError(409, 'Questo caricamento non è da caricare: è già stato caricato, è in corso, è stato annullato o non ha superato la verifica.');
    res.redirect(303, `/caricamento/${id}`);
  });

  r.post('/caricamento/:id/annulla', permit('importazioni.eseguire'), async (req, res) => {
    const id = idParam(req.params.id);
    if (!(await getCaricamento(ctx, id))) throw new HttpError(404, 'Caricamento non trovato');
    if (!(await annulla(ctx, id, chi(req)))) throw new HttpError(409, 'Si può annullare solo un caricamento verificato e non ancora caricato.');
    res.redirect(303, `/caricamento/${id}`);
  });

  // ------------------------------------------------------------ history

  const filtri = (q: Record<string, unknown>) => ({
    tipo: typeof q.tipo === 'string' && /^[a-z_]{1,30}$/.test(q.tipo) ? q.tipo : null,
    esito: typeof q.esito === 'string' && (ESITI as readonly string[]).includes(q.esito) ? q.esito : null,
    pagina: typeof q.pagina === 'string' && /^\d{1,6}$/.test(q.pagina) ? Number(q.pagina) : 1,
  });
  const vista = (i: Importazione) => ({
    ...i,
    quando: dataOra(i.avviato_il, tz),
    esito_: ESITO[i.esito] ?? { etichetta: i.esito, classe: 'bg-secondary' },
    titolo: isTipo(i.tipo) ? TIPI[i.tipo].titolo : i.tipo,
    file: i.file.map((f) => ({ ...f, breve: f.checksum ? f.checksum.slice(0, 12) : '' })),
    n_errori: i.errori.filter((e) => !e.startsWith('... ')).length,
  });

  r.get('/importazioni', permit('importazioni.vedere'), async (req, res) => {
    const f = filtri(req.query);
    const page = await listImportazioni(ctx, f);
    const link = (p: number) => `/importazioni?${new URLSearchParams({ ...(f.tipo ? { tipo: f.tipo } : {}), ...(f.esito ? { esito: f.esito } : {}), pagina: String(p) })}`;
    res.render('importazioni', {
      title: 'Storico delle importazioni',
      righe: page.righe.map(vista),
      totale: page.totale,
      pagina: page.pagina,
      pagine: page.pagine,
      tipi: (await tipiImportati(ctx)).map((t) => ({ valore: t, etichetta: isTipo(t) ? TIPI[t].titolo : t, scelto: t === f.tipo })),
      esiti: ESITI.map((e) => ({ valore: e, etichetta: ESITO[e].etichetta, scelto: e === f.esito })),
      precedente: page.pagina > 1 ? link(page.pagina - 1) : null,
      successiva: page.pagina < page.pagine ? link(page.pagina + 1) : null,
    });
  });

  r.get('/importazioni/:id', permit('importazioni.vedere'), async (req, res) => {
    const i = await getImportazione(ctx, idParam(req.params.id));
    if (!i) throw new HttpError(404, 'Importazione non trovata');
    res.render('importazione', { title: `Importazione n. ${i.id}`, i: { ...vista(i), problemi: i.errori.map(partiProblema).map(([file, riga, colonna, motivo]) => ({ file, riga, colonna, motivo })) } });
  });

  r.get('/importazioni/:id/errori.csv', permit('importazioni.vedere'), async (req, res) => {
    const i = await getImportazione(ctx, idParam(req.params.id));
    if (!i || !i.errori.length) throw new HttpError(404, 'Nessun elenco di problemi per questa importazione');
    res.type('text/csv; charset=utf-8').attachment(`problemi-importazione-${i.id}.csv`).send(erroriCsv(i.errori));
  });

  r.get('/api/importazioni', permit('importazioni.vedere'), async (req, res) => {
    const f = filtri(req.query);
    res.json(await listImportazioni(ctx, f));
  });

  return r;
}
