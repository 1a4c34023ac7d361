import express, { Request, Response } from 'express';
import type { AppContext } from '../context';
import { HttpError } from '../web/errori';
import { authorize, permit } from '../auth/permessi';
import type { Azione } from '../auth/permessi';
import { audit, chi } from '../audit';
import { Memo } from './cache';
import type { Documento } from './documento';
import { Base, famiglie, PaginaFamiglia } from './famiglie';
import { documentoScheda } from './scheda-anno';
import { Filtri, Pagina, parseFiltri, queryString } from './filtri';
import { controllaPeriodo } from './periodo';
import { visibilita } from './nodi';
import { baseVista, descriviFiltri, formFiltri, vistaGrafico, vistaTabella } from './presentazione';
import { formatta, tabellaCsv, Tabella } from './tabella';
import type { Views } from '../web/views';
import { documentoPanoramica } from './panoramica';
import { documentoQualita } from './qualita';
import { vistaStampaComune } from './stampa';
import { pagineDiNotte } from './notte';
import { corpoPagina, inviaCorpo, inviaTesto, testo, unaVolta } from '../web/corpo';


interface DefPagina {
  pagina: Pagina;
  azione: Azione;
  template: string;
  /** Computes the document (cached per data version, account class and filters). */
  calcola: (b: Base, f: Filtri, req: Request) => Promise<Documento>;
  /** Extra view data for the template. */
  vista?: (doc: Documento, b: Base, f: Filtri, req: Request) => Record<string, unknown>;
  /** Links from table cells. */
  link?: (doc: Documento, f: Filtri, tabella: Tabella, riga: Record<string, unknown>, chiave: string) => string | undefined;
  /** The form of the filters, when the page has one. */
  form?: boolean;
}

/**
 * The cruscotto pages and their JSON twins (/api/...; `?formato=csv&tabella=<id>` for a
 * table as CSV). Routes only validate, call the services and render; every figure comes from
 * the document, which is exactly what /api/ returns.
 */
export function cruscottoRouter(ctx: AppContext): express.Router {
  const r = express.Router();
  // Bounded by the approximate bytes of what it keeps too (server/cruscotto/dimensione.ts): the
  // regional bench's pages keep about 40 MB; with the analyses' two memos (32 MB each) the heap
  // stays near 250 MB live, the peak RSS under 500 MB at HEAP_CRESCITA=50 (docs/bench.md, memory).
  const memo = new Memo<unknown>(600, 96e6);
  const cached = <T>(key: string, fn: () => Promise<T>) => memo.get(key, fn) as Promise<T>;

  // Pages keep answering during the night: the last data version and documents (notte.ts).
  const notte = pagineDiNotte(ctx.db, cached, () => memo.clear());
  const base = async (req: Request): Promise<Base> => ({ ...(await notte.dati(ctx.clock.today())), v: visibilita(req.user!) });
  const documento = notte.documento;

  function monta(path: string, apiPaths: string[], def: DefPagina): void {
    const gestisci = (api: boolean) => async (req: Request, res: Response) => {
      const b = await base(req);
      const f = parseFiltri(req.query, def.pagina, b.contesto, { api });
      controllaPeriodo(f, b.v);
      const stabile = `${def.pagina}|${b.contesto.oggi}|${b.v.classe}|${JSON.stringify({ ...f, formato: null, tabella: null })}`;
      // A settled conflict between filters is said first, in the page and in its JSON twin.
      const servito = await documento(stabile, b, `doc|${def.pagina}|${b.versione}|${stabile}`, async () => {
        const d = await def.calcola(b, f, req);
        return f.avviso ? { ...d, avvisi: [f.avviso, ...d.avvisi] } : d;
      });
      const { doc, chiave } = servito;
      if (api && f.formato === 'csv') return inviaCsv(req, res, doc, f);
      if (api) return inviaJson(res, chiave, doc);
      await rendi(req, res, def.template, chiave, () => vistaPagina(def, doc, servito.b, f, req, path));
    };
    r.get(path, permit(def.azione), gestisci(false));
    for (const p of apiPaths) r.get(p, permit(def.azione), gestisci(true));
  }

  /**
   * The page body depends only on the document, the account's class and the URL: it is
   * rendered once and kept like the document; the layout (account, menu, CSRF token) is
   * rendered for each request.
   */
  async function rendi(req: Request, res: Response, template: string, chiave: string, dati: () => Record<string, unknown>): Promise<void> {
    const views = req.app.locals.views as Views;
    const pagina = await cached(`html|${template}|${chiave}|${req.originalUrl}`, async () => {
      const v = dati() as { title: string; datiAl: string | null; conGrafici: boolean };
      return corpoPagina(views.render(`pages/${template}`, v), { title: v.title, datiAl: v.datiAl, conGrafici: v.conGrafici });
    });
    await inviaCorpo(res, pagina);
  }

  /** The JSON twin, serialized once per document. */
  async function inviaJson(res: Response, chiave: string, doc: Documento): Promise<void> {
    res.type('application/json');
    inviaTesto(res, await cached(`json|${chiave}`, async () => testo(JSON.stringify(doc))));
  }

  // Each table's CSV written once (the document and its tables never change once kept).
  const csvDi = unaVolta((t: Tabella) => tabellaCsv(t));

  async function inviaCsv(req: Request, res: Response, doc: Documento, f: Filtri): Promise<void> {
    const t = f.tabella ? doc.tabelle.find((x) => x.id === f.tabella) : doc.tabelle[0];
    if (!t) throw new HttpError(400, `Parametro non valido: tabella "${f.tabella}" non esiste in questa pagina (tabelle: ${doc.tabelle.map((x) => x.id).join(', ')}).`);
    await audit(ctx.db, { ...chi(req), azione: 'esportazione', dettagli: { pagina: req.path, formato: 'csv', tabella: t.id, filtri: req.query } });
    res.type('text/csv; charset=utf-8').attachment(`${doc.pagina}-${t.id}.csv`);
    inviaTesto(res, csvDi(t));
  }

  function vistaPagina(def: DefPagina, doc: Documento, b: Base, f: Filtri, req: Request, path: string) {
    const apiPath = `/api${req.path === '/' ? '/panoramica' : req.path}`;
    const qs = (extra: Record<string, string>) => {
      const q = new URLSearchParams(req.query as Record<string, string>);
      for (const [k, v] of Object.entries(extra)) q.set(k, v);
      return `?${q.toString()}`;
    };
    const link = (t: Tabella) => (riga: Record<string, unknown>, chiave: string) => def.link?.(doc, f, t, riga, chiave);
    return {
      ...baseVista(doc, b.contesto, descriviFiltri(def.pagina, b.contesto, f)),
      pagina: def.pagina,
      form: def.form ? formFiltri(def.pagina, path, b.contesto, f, { motivi: doc.pagina === 'sportello' ? motiviDi(doc) : undefined, v: b.v }) : null,
      sintesi: doc.sintesi.map((s) => ({ ...s, testo: formatta(s.valore, s.tipo), soppressa: s.valore === '<3' || s.valore === 'riservato' })),
      riferimenti: (doc.riferimenti ?? []).map((s) => ({ ...s, testo: formatta(s.valore, s.tipo) })),
      tabelle: Object.fromEntries(doc.tabelle.map((t) => [t.id, vistaTabella(t, link(t), `${apiPath}${qs({ formato: 'csv', tabella: t.id })}`, f.tutte ? undefined : { tutte: `${req.path}${qs({ tutte: '1' })}#sezione-${t.id}` })])),
      grafici: Object.fromEntries(doc.grafici.map((g) => [g.id, vistaGrafico(g)])),
      api: `${apiPath}${queryString(req.query as Record<string, string>)}`,
      ...(def.vista?.(doc, b, f, req) ?? {}),
    };
  }

  const fam = famiglie(ctx, cached);

  const linkComune = (riga: Record<string, unknown>, chiave: string) => (chiave === 'comune' && typeof riga.codice_istat === 'string' ? `/comuni/${riga.codice_istat}` : undefined);

  monta('/', ['/api/panoramica', '/api/'], {
    pagina: 'panoramica',
    azione: 'ambito.vedere',
    template: 'panoramica',
    calcola: (b, f, req) => documentoPanoramica(ctx, b.contesto, f, b.v, req.user!),
    link: (_doc, _f, t, riga, chiave) => (t.id === 'scadenze' && chiave === 'data_scadenza' && typeof riga.id_scadenza === 'number' ? `/scadenze/${riga.id_scadenza}` : linkComune(riga, chiave)),
    vista: (_doc, b, f, req) => ({
      vediScadenze: authorize(req.user, 'scadenze.vedere'),
      ordinamenti: (['digit', 'nome', 'stato'] as const).map((o) => ({ etichetta: { digit: 'per digitalizzazione', nome: 'per nome', stato: 'per stato' }[o], href: `/${queryString({ ordina: o === 'digit' ? null : o, vista: f.vista === 'cluster' ? null : f.vista, cluster: f.cluster, distretto: f.distretto })}#grafico-comuni`, attivo: f.ordina === o })),
      gruppi: [
        { etichetta: 'Tutto l\'ambito', href: `/${queryString({ ordina: f.ordina === 'digit' ? null : f.ordina })}`, attivo: f.cluster == null && !f.distretto },
        ...b.contesto.cluster.map((k) => ({ etichetta: `Cluster ${k}`, href: `/${queryString({ cluster: k, ordina: f.ordina === 'digit' ? null : f.ordina })}`, attivo: f.cluster === k })),
        ...b.contesto.distretti.map((d) => ({ etichetta: d, href: `/${queryString({ distretto: d, ordina: f.ordina === 'digit' ? null : f.ordina })}`, attivo: f.distretto === d })),
      ],
    }),
  });

  r.get('/comuni/:istat', permit('comune.vedere'), async (req, res) => scheda(req, res, false));
  r.get('/api/comuni/:istat', permit('comune.vedere'), async (req, res) => scheda(req, res, true));
  async function scheda(req: Request, res: Response, api: boolean): Promise<void> {
    const istat = String(req.params.istat);
    if (!/^\d{6}$/.test(istat)) throw new HttpError(400, 'Parametro non valido: il comune è un codice ISTAT di 6 cifre, per esempio 098031.');
    const b = await base(req);
    const comune = b.contesto.perIstat.get(istat);
    if (!comune) throw new HttpError(404, `Il comune ${istat} non è tra i comuni attivi dell'ambito.`);
    const f = parseFiltri(req.query, 'comune', b.contesto, { api });
    const stabile = `comune|${istat}|${b.contesto.oggi}|${b.v.classe}|${f.anno}`;
    const servito = await documento(stabile, b, `doc|comune|${istat}|${b.versione}|${b.contesto.oggi}|${b.v.classe}|${f.anno}`, () => documentoScheda(ctx, fam, b, f, req.user!, comune));
    const { doc, chiave } = servito;
    if (api && f.formato === 'csv') return inviaCsv(req, res, doc, f);
    if (api) return inviaJson(res, chiave, doc);
    const def: DefPagina = { pagina: 'comune', azione: 'comune.vedere', template: 'comune', calcola: async () => doc, link: (_d, _f, t, riga, k) => (t.id === 'pari' ? linkComune(riga, k) : t.id === 'scadenze' && k === 'tipo' && typeof riga.id_scadenza === 'number' ? `/scadenze/${riga.id_scadenza}` : undefined) };
    await rendi(req, res, 'comune', chiave, () => ({
      ...vistaPagina(def, doc, servito.b, f, req, req.path),
      comune: doc.comune,
      spiegazione: doc.spiegazione,
      anni: servito.b.contesto.anni.map((a) => ({ valore: a, selezionato: a === f.anno })),
      linkFamiglie: ['sportello', 'sociali', 'economici'].map((p) => ({ etichetta: { sportello: 'Sportello', sociali: 'Dati sociali', economici: 'Dati economici' }[p], href: `/${p}${queryString({ anno: f.anno, comune: istat })}` })),
      vediScadenze: doc.tabelle.some((t) => t.id === 'scadenze'),
      vediQualita: b.v.udp || b.v.proprio === istat,
      pariSelezionato: comune.codice_istat,
      // The council handout: what the page prints, on one A4 sheet (server/cruscotto/stampa.ts).
      volantino: vistaStampaComune(doc, { censimento_al: doc.comune.data_riferimento as string | null, cluster: comune.cluster, distretto: comune.distretto }, descriviFiltri('comune', servito.b.contesto, f)),
    }));
  }

  const famiglia = (pagina: PaginaFamiglia) =>
    monta(`/${pagina}`, [`/api/${pagina}`], {
      pagina,
      azione: 'ambito.vedere',
      template: pagina,
      form: true,
      // The digitalization reference boxes of the selection, on every family page and its twin.
      calcola: (b, f) => fam.pagina(pagina, b, f),
      vista: (_doc, _b, f) => ({ tuttiMotivi: `/sportello${queryString({ anno: f.dal ? null : f.anno, dal: f.dal, al: f.al, vista: f.vista === 'cluster' ? null : f.vista, cluster: f.cluster, distretto: f.distretto, comune: f.comune, area: f.area })}#problemi` }),
      link: (_doc, f, t, riga, chiave) => {
        const motivoApplicato = !_doc.riservatezza.attiva || (_doc.selezione?.tipo === 'comune' && _doc.dettaglio?.id === _doc.selezione.id);
        if (pagina === 'sportello' && t.id === 'motivi' && chiave === 'motivo' && typeof riga.motivo === 'string' && motivoApplicato) {
          return `/sportello${queryString({ anno: f.dal ? null : f.anno, dal: f.dal, al: f.al, vista: f.vista === 'cluster' ? null : f.vista, cluster: f.cluster, distretto: f.distretto, comune: f.comune, area: f.area, motivo: riga.motivo })}#problemi`;
        }
        return linkComune(riga, chiave);
      },
    });
  famiglia('sportello');
  famiglia('sociali');
  famiglia('economici');
  famiglia('mese');

  monta('/qualita', ['/api/qualita'], {
    pagina: 'qualita',
    azione: 'qualita.vedere',
    template: 'qualita',
    calcola: (b, f) => documentoQualita(ctx, b.contesto, f, b.v),
    link: (_doc, _f, t, riga, chiave) => (t.id === 'comuni' && chiave === 'comune' && typeof riga.codice_istat === 'string' ? `/qualita?comune=${riga.codice_istat}#sezione-risultati` : t.id === 'controlli' && chiave === 'controllo' && _f.comune ? `/qualita${queryString({ comune: _f.comune, controllo: riga.controllo as string })}#sezione-risultati` : undefined),
    vista: (doc) => ({ selezione: doc.selezione }),
  });

  return r;
}

function motiviDi(doc: Documento): string[] {
  const t = doc.tabelle.find((x) => x.id === 'motivi');
  return (t?.righe ?? []).map((r) => String(r.motivo)).sort((a, b) => a.localeCompare(b, 'it'));
}
