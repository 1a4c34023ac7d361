import express, { Request, Response } from 'express';
import type { AppContext } from '../context';
import { permit } from '../auth/permessi';
import { audit, chi } from '../audit';
import type { Contesto } from '../cruscotto/contesto';
import { Memo } from '../cruscotto/cache';
import { pagineDiNotte } from '../cruscotto/notte';
import type { Filtri } from '../cruscotto/filtri';
import { visibilita, Visibilita } from '../cruscotto/nodi';
import { vistaGrafico } from '../cruscotto/presentazione';
import { documentoSportello, leggiSportello } from '../cruscotto/sportello';
import type { Valore } from '../web/suppression';
import { documentoRipartizioni, leggiRipartizioni, leggiRipartizioniAnno, TABELLE } from './ripartizioni';
import { parseRipartizioni, ParametriRipartizioni } from './ripartizioni-parametri';
import { csvTabella, vistaTabella } from './tabella';

/**
 * /analisi/ripartizioni and its /api/ twin (docs/analisi.md, "Ripartizioni"): the sportello's
 * accessi and people by punto, sesso, age band and country of birth. Every role opens it; outside
 * the UdP the ambito (whole years) and the own comune only, suppressed (server/web/suppression.ts).
 */
export function ripartizioniRouter(ctx: AppContext): express.Router {
  const r = express.Router();
  // The figures change only with the data (server/cruscotto/cache.ts): read once per version.
  const memo = new Memo<unknown>(200);
  const cached = <T>(key: string, fn: () => Promise<T>) => memo.get(key, fn) as Promise<T>;
  const dati = (v: string, dal: string, al: string, comuni: string[]) => cached(`rip|${v}|${dal}|${al}|${comuni.join(',')}`, () => leggiRipartizioni(ctx.db, dal, al, comuni));
  // A whole year of the ambito (comune null) or of one comune: read by key from the facts.
  const datiAnno = (v: string, anno: number, comune: string | null, comuni: string[]) => cached(`ripanno|${v}|${anno}|${comune}`, () => leggiRipartizioniAnno(ctx.db, anno, comune, comuni));

  /** How /sportello shows the ambito's accessi of the year to this account (same problem, same fate). */
  async function totaleSportello(versione: string, contesto: Contesto, v: Visibilita, anno: number): Promise<Valore | undefined> {
    const d = await cached(`sportello|${versione}|${anno}`, () => leggiSportello(ctx.db, anno, null));
    const f: Filtri = { anno, vista: 'cluster', cluster: null, distretto: null, comune: null, area: null, motivo: null, mese: `${anno}-01`, ordina: 'digit', controllo: null, formato: 'json', tabella: null, ultimo: null, avviso: null, dal: null, al: null, tutte: false };
    return documentoSportello(contesto, f, v, d).sintesi.find((s) => s.chiave === 'accessi')?.valore as Valore | undefined;
  }

  // During the night the last figures computed, rather than waiting for the database (notte.ts).
  const notte = pagineDiNotte(ctx.db, cached);

  async function documento(req: Request, api: boolean) {
    const oggi = ctx.clock.today();
    const { versione, contesto } = await notte.dati(oggi);
    const p = parseRipartizioni(req.query, contesto, req.user!, { api, tabelle: TABELLE });
    const v = visibilita(req.user!);
    // The same for every request with the same data, period, selection and class of reader.
    const sel = `${v.classe}|${p.dal}|${p.al}|${p.anno}|${p.comune}|${p.cluster}|${p.distretto}`;
    const { doc } = await notte.documento(`rip|${oggi}|${sel}`, null, `doc|${versione}|${sel}`, async () => {
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
      return avviso ? { ...doc, avvisi: [avviso, ...doc.avvisi] } : doc;
    });
    return { p, contesto, doc };
  }

  const gestisci = (api: boolean) => async (req: Request, res: Response) => {
    const { p, contesto, doc } = await documento(req, api);
    if (api && p.formato === 'csv') {
      const t = doc.tabelle.find((x) => x.id === (p.tabella ?? TABELLE[0]))!;
      await audit(ctx.db, { ...chi(req), azione: 'esportazione', dettagli: { pagina: req.path, formato: 'csv', tabella: t.id, filtri: req.query } });
      res.type('text/csv; charset=utf-8').attachment(`ripartizioni-${t.id}.csv`);
      res.send(csvTabella(t));
      return;
    }
    if (api) {
      res.json(doc);
      return;
    }
    const q = new URLSearchParams(req.query as Record<string, string>);
    const user = req.user!;
    const udp = user.ruolo === 'udp';
    const csv = (id: string) => {
      const qc = new URLSearchParams(q);
      qc.set('formato', 'csv');
      qc.set('tabella', id);
      return `/api/analisi/ripartizioni?${qc.toString()}`;
    };
    const annoOggi = Number(contesto.oggi.slice(0, 4));
    res.render('analisi-ripartizioni', {
      title: 'Ripartizioni degli accessi allo sportello',
      conGrafici: true,
      doc,
      p,
      udp,
      // The period: a year for everybody; dal/al where allowed (UdP; a comune on its own comune).
      periodoLibero: udp || user.ruolo === 'comune',
      anni: Array.from({ length: annoOggi - 2000 + 1 }, (_, i) => annoOggi - i).filter((a) => a >= Math.min(...contesto.anni, annoOggi)).map((a) => ({ valore: a, selezionato: a === p.anno })),
      tabelle: Object.fromEntries(doc.tabelle.map((t) => [t.id, { ...vistaTabella(t), csv: csv(t.id) }])),
      grafici: Object.fromEntries(doc.grafici.map((g) => [g.id, vistaGrafico(g)])),
      api: `/api/analisi/ripartizioni${q.toString() ? `?${q.toString()}` : ''}`,
      comuni: udp ? contesto.comuni.map((c) => ({ valore: c.codice_istat, nome: c.nome, selezionato: c.codice_istat === p.comune })) : user.ruolo === 'comune' && user.codice_istat ? [{ valore: user.codice_istat, nome: contesto.perIstat.get(user.codice_istat)?.nome ?? user.codice_istat, selezionato: p.comune === user.codice_istat }] : [],
      cluster: udp ? contesto.cluster.map((k) => ({ valore: k, selezionato: k === p.cluster })) : [],
      distretti: udp ? contesto.distretti.map((d) => ({ valore: d, selezionato: d === p.distretto })) : [],
    });
  };
  r.get('/analisi/ripartizioni', permit('ambito.vedere'), gestisci(false));
  r.get('/api/analisi/ripartizioni', permit('ambito.vedere'), gestisci(true));
  return r;
}
