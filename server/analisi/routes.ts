import express, { Request, Response } from 'express';
import type { AppContext } from '../context';
import { permit } from '../auth/permessi';
import { audit, chi } from '../audit';
import { caricaContesto } from '../cruscotto/contesto';
import { Memo, versioneDati } from '../cruscotto/cache';
import { parseParametri, ParametriAnalisi } from './parametri';
import { documentoSaldo, leggiSaldo } from './saldo';
import { documentoCarico, leggiCarico } from './carico';
import { csvTabella, TabellaAnalisi, vistaTabella } from './tabella';

interface Doc {
  pagina: string;
  avvisi: string[];
  tabelle: TabellaAnalisi[];
}

interface DefAnalisi {
  path: string;
  template: string;
  titolo: string;
  tabelle: readonly string[];
  calcola: (p: ParametriAnalisi, versione: string) => Promise<Doc>;
}

/**
 * The analysis pages of issue 20 (docs/analisi.md): /analisi/saldo (opened/closed balance) and
 * /analisi/carico (caseload per operatore), each with its /api/ twin (JSON, or
 * `?formato=csv&tabella=<id>`). The office sees every comune; a comune account its own only.
 */
export function analisiRouter(ctx: AppContext): express.Router {
  const r = express.Router();
  // The figures change only with the data (server/cruscotto/cache.ts): read once per version.
  const memo = new Memo<unknown>(200);
  const cached = <T>(key: string, fn: () => Promise<T>) => memo.get(key, fn) as Promise<T>;

  function monta(def: DefAnalisi): void {
    const gestisci = (api: boolean) => async (req: Request, res: Response) => {
      const versione = await versioneDati(ctx.db);
      const oggi = ctx.clock.today();
      const contesto = await cached(`contesto|${versione}|${oggi}`, () => caricaContesto(ctx.db, oggi));
      const p = parseParametri(req.query, contesto, req.user!, { api, tabelle: def.tabelle });
      const doc = await def.calcola(p, versione);
      if (api && p.formato === 'csv') {
        const t = doc.tabelle.find((x) => x.id === (p.tabella ?? def.tabelle[0]))!;
        await audit(ctx.db, { ...chi(req), azione: 'esportazione', dettagli: { pagina: req.path, formato: 'csv', tabella: t.id, filtri: req.query } });
        res.type('text/csv; charset=utf-8').attachment(`${doc.pagina}-${t.id}.csv`);
        res.send(csvTabella(t));
        return;
      }
      if (api) {
        res.json(doc);
        return;
      }
      const q = new URLSearchParams(req.query as Record<string, string>);
      const udp = req.user!.ruolo === 'udp';
      res.render(def.template, {
        title: def.titolo,
        doc,
        p,
        udp,
        tabelle: Object.fromEntries(
          doc.tabelle.map((t) => {
            const qc = new URLSearchParams(q);
            qc.set('formato', 'csv');
            qc.set('tabella', t.id);
            return [t.id, { ...vistaTabella(t), csv: `/api${def.path}?${qc.toString()}` }];
          }),
        ),
        api: `/api${def.path}${q.toString() ? `?${q.toString()}` : ''}`,
        // The selection form: the office chooses; a comune account has its own comune only.
        comuni: udp ? contesto.comuni.map((c) => ({ valore: c.codice_istat, nome: c.nome, selezionato: c.codice_istat === p.comune })) : [],
        cluster: udp ? contesto.cluster.map((k) => ({ valore: k, selezionato: k === p.cluster })) : [],
        distretti: udp ? contesto.distretti.map((d) => ({ valore: d, selezionato: d === p.distretto })) : [],
      });
    };
    r.get(def.path, permit('analisi.vedere'), gestisci(false));
    r.get(`/api${def.path}`, permit('analisi.vedere'), gestisci(true));
  }

  monta({
    path: '/analisi/saldo',
    template: 'analisi-saldo',
    titolo: 'Saldo delle cartelle aperte e chiuse',
    tabelle: ['comuni'],
    calcola: async (p, v) => documentoSaldo(p, await cached(`saldo|${v}|${p.dal}|${p.al}`, () => leggiSaldo(ctx.db, p.dal, p.al))),
  });
  monta({
    path: '/analisi/carico',
    template: 'analisi-carico',
    titolo: 'Carico di lavoro per operatore',
    tabelle: ['operatori', 'distribuzione', 'senza_email'],
    calcola: async (p, v) => documentoCarico(p, await cached(`carico|${v}|${p.dal}|${p.al}`, () => leggiCarico(ctx.db, p.dal, p.al)), p.comune === null && p.cluster === null && p.distretto === null),
  });
  return r;
}
