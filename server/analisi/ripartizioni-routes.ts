import express, { Request, Response } from 'express';
import type { AppContext } from '../context';
import { permit } from '../auth/permessi';
import type { Contesto } from '../cruscotto/contesto';
import { Memo } from '../cruscotto/cache';
import { pagineDiNotte } from '../cruscotto/notte';
import type { Filtri } from '../cruscotto/filtri';
import { visibilita, Visibilita } from '../cruscotto/nodi';
import { vistaGrafico } from '../cruscotto/presentazione';
import { documentoSportello, leggiSportello } from '../cruscotto/sportello';
import { documentoSociali, leggiSociali } from '../cruscotto/sociali';
import type { Valore } from '../web/suppression';
import { documentoRipartizioni, leggiRipartizioni, leggiRipartizioniAnno, TABELLE } from './ripartizioni';
import { parseRipartizioni, ParametriRipartizioni } from './ripartizioni-parametri';
import { leggiPreseInCarico, sommaComuni, TABELLE_SOCIALI, tabelleSociali } from './ripartizioni-sociali';
import { collegamenti, inviaCsv, sceltaGruppi, vistaTabelle } from './risposta';
import type { Views } from '../web/views';
import { corpoPagina, inviaCorpo, inviaTesto, testo } from '../web/corpo';

const TITOLO = 'Ripartizioni: sportello e persone prese in carico';

/**
 * /analisi/ripartizioni and its /api/ twin (docs/analisi.md, "Ripartizioni"): the sportello's
 * accessi and people by punto, sesso, age band and country of birth. Every role opens it; outside
 * the UdP the ambito (whole years) and the own comune only, suppressed (server/web/suppression.ts).
 */
export function ripartizioniRouter(ctx: AppContext): express.Router {
  const r = express.Router();
  // The figures change only with the data (server/cruscotto/cache.ts): read once per version.
  // Bounded by count and by approximate bytes, as the cruscotto's (server/cruscotto/routes.ts).
  const memo = new Memo<unknown>(200, 32e6);
  const cached = <T>(key: string, fn: () => Promise<T>) => memo.get(key, fn) as Promise<T>;
  const dati = (v: string, dal: string, al: string, comuni: string[]) => cached(`rip|${v}|${dal}|${al}|${comuni.join(',')}`, () => leggiRipartizioni(ctx.db, dal, al, comuni));
  // A whole year of the ambito (comune null) or of one comune: read by key from the facts.
  const datiAnno = (v: string, anno: number, comune: string | null, comuni: string[]) => cached(`ripanno|${v}|${anno}|${comune}`, () => leggiRipartizioniAnno(ctx.db, anno, comune, comuni));

  /** The filters of a family page for the ambito and a whole year. */
  const filtriAnno = (anno: number): Filtri => ({ anno, vista: 'cluster', cluster: null, distretto: null, comune: null, area: null, motivo: null, mese: `${anno}-01`, ordina: 'digit', controllo: null, formato: 'json', tabella: null, ultimo: null, avviso: null, dal: null, al: null, tutte: false });

  /** How /sportello shows the ambito's accessi of the year to this account (same problem, same fate). */
  async function totaleSportello(versione: string, contesto: Contesto, v: Visibilita, anno: number): Promise<Valore | undefined> {
    const d = await cached(`sportello|${versione}|${anno}`, () => leggiSportello(ctx.db, anno, null));
    return documentoSportello(contesto, filtriAnno(anno), v, d).sintesi.find((s) => s.chiave === 'accessi')?.valore as Valore | undefined;
  }

  /** How /sociali shows the ambito's prese in carico of the year to this account (one fate). */
  async function totaleSocialiPagina(versione: string, contesto: Contesto, v: Visibilita, anno: number): Promise<Valore | undefined> {
    const d = await cached(`sociali|${versione}|${anno}|${contesto.oggi}`, () => leggiSociali(ctx.db, anno, contesto.oggi));
    return documentoSociali(contesto, filtriAnno(anno), v, d).sintesi.find((s) => s.chiave === 'prese_in_carico')?.valore as Valore | undefined;
  }

  // During the night the last figures computed, rather than waiting for the database (notte.ts).
  const notte = pagineDiNotte(ctx.db, cached, () => memo.clear());

  async function documento(req: Request, api: boolean) {
    const oggi = ctx.clock.today();
    const { versione, contesto } = await notte.dati(oggi);
    const p = parseRipartizioni(req.query, contesto, req.user!, { api, tabelle: [...TABELLE, ...TABELLE_SOCIALI] });
    const v = visibilita(req.user!);
    // The same for every request with the same data, period, selection and class of reader.
    const sel = `${v.classe}|${p.dal}|${p.al}|${p.anno}|${p.comune}|${p.cluster}|${p.distretto}`;
    const { doc, chiave } = await notte.documento(`rip|${oggi}|${sel}`, null, `doc|${versione}|${sel}`, async () => {
      const comuni = p.comuni.map((c) => c.codice_istat);
      // Cluster, distretto and dal/al (the office's, or a comune's on itself) are computed live.
      const { dati: d, avviso } = p.anno !== null && p.cluster === null && p.distretto === null ? await datiAnno(versione, p.anno, p.comune, comuni) : { dati: await dati(versione, p.dal, p.al, comuni), avviso: null };
      let proprio = null;
      let totale: Valore | undefined;
      if (!p.pieno) {
        // Outside the UdP this is the ambito of a whole year (parseRipartizioni).
        if (v.proprio) proprio = (await datiAnno(versione, p.anno!, v.proprio, [v.proprio])).dati;
        totale = await totaleSportello(versione, contesto, v, p.anno!);
      }
      const doc = documentoRipartizioni(p, d, { proprio, totaleSportello: totale });
      // The people taken in charge at the end of the period (the Sociali page's figure), by comune.
      const prese = await cached(`rip-soc|${versione}|${p.al}`, () => leggiPreseInCarico(ctx.db, p.al, contesto.comuni.map((c) => c.codice_istat)));
      const soc = tabelleSociali(p, sommaComuni(prese, p.comuni.map((c) => c.codice_istat)), {
        proprio: !p.pieno && v.proprio ? sommaComuni(prese, [v.proprio]) : null,
        totalePagina: p.pieno ? undefined : await totaleSocialiPagina(versione, contesto, v, p.anno!),
      });
      return { ...doc, totale: { ...doc.totale, prese_in_carico: soc.totale }, avvisi: [...(avviso ? [avviso] : []), ...doc.avvisi, ...soc.avvisi], tabelle: [...doc.tabelle, ...soc.tabelle], grafici: [...doc.grafici, ...soc.grafici] };
    });
    return { p, contesto, doc, chiave };
  }

  const gestisci = (api: boolean) => async (req: Request, res: Response) => {
    const { p, contesto, doc, chiave } = await documento(req, api);
    if (api && p.formato === 'csv') {
      await inviaCsv(ctx, req, res, 'ripartizioni', doc.tabelle.find((x) => x.id === (p.tabella ?? TABELLE[0]))!);
      return;
    }
    if (api) {
      res.type('application/json');
      inviaTesto(res, await cached(`json|${chiave}`, async () => testo(JSON.stringify(doc))));
      return;
    }
    // The page body depends only on the document, the account (role, own comune) and the URL:
    // rendered once per data version, as the cruscotto's pages (server/cruscotto/routes.ts,
    // `rendi`); the layout (account, menu, CSRF token) for each request. At the regional scale
    // rendering it was ~40 ms of CPU per request (docs/bench.md).
    const user = req.user!;
    const pagina = await cached(`html|${chiave}|${contesto.oggi}|${user.ruolo}|${user.codice_istat}|${req.originalUrl}`, async () => corpoPagina((req.app.locals.views as Views).render('pages/analisi-ripartizioni', vista(req, p, contesto, doc)), { title: TITOLO, conGrafici: true }));
    await inviaCorpo(res, pagina);
  };

  function vista(req: Request, p: ParametriRipartizioni, contesto: Contesto, doc: Awaited<ReturnType<typeof documento>>['doc']): Record<string, unknown> {
    const { api: linkApi, csv, tutte } = collegamenti(req, '/analisi/ripartizioni');
    const user = req.user!;
    const udp = user.ruolo === 'udp';
    const annoOggi = Number(contesto.oggi.slice(0, 4));
    return {
      doc,
      p,
      udp,
      // The period: a year for everybody; dal/al where allowed (UdP; a comune on its own comune).
      periodoLibero: udp || user.ruolo === 'comune',
      anni: Array.from({ length: annoOggi - 2000 + 1 }, (_, i) => annoOggi - i).filter((a) => a >= Math.min(...contesto.anni, annoOggi)).map((a) => ({ valore: a, selezionato: a === p.anno })),
      tabelle: vistaTabelle(doc.tabelle, csv, p.tutte ? undefined : tutte),
      grafici: Object.fromEntries(doc.grafici.map((g) => [g.id, vistaGrafico(g)])),
      api: linkApi,
      comuni: udp ? contesto.comuni.map((c) => ({ valore: c.codice_istat, nome: c.nome, selezionato: c.codice_istat === p.comune })) : user.ruolo === 'comune' && user.codice_istat ? [{ valore: user.codice_istat, nome: contesto.perIstat.get(user.codice_istat)?.nome ?? user.codice_istat, selezionato: p.comune === user.codice_istat }] : [],
      ...sceltaGruppi(contesto, p, udp),
    };
  }
  r.get('/analisi/ripartizioni', permit('ambito.vedere'), gestisci(false));
  r.get('/api/analisi/ripartizioni', permit('ambito.vedere'), gestisci(true));
  return r;
}
