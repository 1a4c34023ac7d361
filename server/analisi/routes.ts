import express, { Request, Response } from 'express';
import type { AppContext } from '../context';
import { permit } from '../auth/permessi';
import { caricaContesto } from '../cruscotto/contesto';
import { Memo, versioneDati } from '../cruscotto/cache';
import { parseParametri, ParametriAnalisi } from './parametri';
import { documentoSaldo, leggiSaldo } from './saldo';
import { documentoCarico, leggiCarico } from './carico';
import type { TabellaAnalisi } from './tabella';
import { collegamenti, inviaCsv, sceltaGruppi, vistaTabelle } from './risposta';

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
  // Bounded by count and by approximate bytes, as the cruscotto's (server/cruscotto/routes.ts).
  const memo = new Memo<unknown>(200, 32e6);
  const cached = <T>(key: string, fn: () => Promise<T>) => memo.get(key, fn) as Promise<T>;
  let ultimaVersione: string | null = null;

  function monta(def: DefAnalisi): void {
    const gestisci = (api: boolean) => async (req: Request, res: Response) => {
      const versione = await versioneDati(ctx.db);
      // Keep one version's figures only (as server/cruscotto/notte.ts does for the pages).
      if (ultimaVersione !== null && ultimaVersione !== versione) memo.clear();
      ultimaVersione = versione;
      const oggi = ctx.clock.today();
      const contesto = await cached(`contesto|${versione}|${oggi}`, () => caricaContesto(ctx.db, oggi));
      const p = parseParametri(req.query, contesto, req.user!, { api, tabelle: def.tabelle });
      const doc = await def.calcola(p, versione);
      if (api && p.formato === 'csv') {
        await inviaCsv(ctx, req, res, doc.pagina, doc.tabelle.find((x) => x.id === (p.tabella ?? def.tabelle[0]))!);
        return;
      }
      if (api) {
        res.json(doc);
        return;
      }
      const { api: linkApi, csv } = collegamenti(req, def.path);
      const udp = req.user!.ruolo === 'udp';
      res.render(def.template, {
        title: def.titolo,
        doc,
        p,
        udp,
        tabelle: vistaTabelle(doc.tabelle, csv),
        api: linkApi,
        // The selection form: the office chooses; a comune account has its own comune only.
        comuni: udp ? contesto.comuni.map((c) => ({ valore: c.codice_istat, nome: c.nome, selezionato: c.codice_istat === p.comune })) : [],
        ...sceltaGruppi(contesto, p, udp),
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
