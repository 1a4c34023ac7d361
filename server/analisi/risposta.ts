import type { Request, Response } from 'express';
import type { AppContext } from '../context';
import { audit, chi } from '../audit';
import type { Contesto } from '../cruscotto/contesto';
import { csvTabella, TabellaAnalisi, vistaTabella } from './tabella';
import { inviaTesto, unaVolta } from '../web/corpo';

/** What both analysis routers (routes.ts, ripartizioni-routes.ts) answer alike. */

/**
 * The CSV text of a table, once per table: the documents are kept per data version (their
 * tables are the same objects for every request, and nothing changes them), and the regional
 * breakdowns' list of punti di accesso, thousands of rows, was written again for every download
 * (p95 104.5 ms at 20 connections, the other tables 34-43 ms: docs/bench.md). Goes with its table.
 */
export const testoCsv = unaVolta((t: TabellaAnalisi) => csvTabella(t));

/** One table of the document as CSV, recorded in the audit log as an export. */
export async function inviaCsv(ctx: AppContext, req: Request, res: Response, nome: string, t: TabellaAnalisi): Promise<void> {
  await audit(ctx.db, { ...chi(req), azione: 'esportazione', dettagli: { pagina: req.path, formato: 'csv', tabella: t.id, filtri: req.query } });
  res.type('text/csv; charset=utf-8').attachment(`${nome}-${t.id}.csv`);
  inviaTesto(res, testoCsv(t));
}

/** The page's links to its /api/ twin (the JSON of the same query, each table's CSV; never `tutte`, a page's parameter) and to itself with every row. */
export function collegamenti(req: Request, path: string) {
  const q = new URLSearchParams(req.query as Record<string, string>);
  q.delete('tutte');
  const csv = (id: string) => {
    const qc = new URLSearchParams(q);
    qc.set('formato', 'csv');
    qc.set('tabella', id);
    return `/api${path}?${qc.toString()}`;
  };
  // The page with every row of its long tables, at the table.
  const tutte = (id: string) => {
    const qt = new URLSearchParams(q);
    qt.set('tutte', '1');
    return `${path}?${qt.toString()}#tabella-${id}`;
  };
  return { api: `/api${path}${q.toString() ? `?${q.toString()}` : ''}`, csv, tutte };
}

/**
 * The tables for the template, each with its CSV link; with `tutte` (the page's link to every
 * row of a table) a long table shows its first rows only (tabella.ts, vistaTabella).
 */
export function vistaTabelle(tabelle: TabellaAnalisi[], csv: (id: string) => string, tutte?: (id: string) => string) {
  return Object.fromEntries(tabelle.map((t) => [t.id, { ...vistaTabella(t, tutte ? { tutte: tutte(t.id) } : undefined), csv: csv(t.id) }]));
}

/** The cluster and distretto choices of the selection form: the office's only. */
export function sceltaGruppi(contesto: Contesto, p: { cluster: number | null; distretto: string | null }, udp: boolean) {
  return {
    cluster: udp ? contesto.cluster.map((k) => ({ valore: k, selezionato: k === p.cluster })) : [],
    distretti: udp ? contesto.distretti.map((d) => ({ valore: d, selezionato: d === p.distretto })) : [],
  };
}
