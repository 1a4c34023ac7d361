import express from 'express';
import type { AppContext } from '../context';
import { permit } from '../auth/permessi';
import { audit, AZIONI_AUDIT, chi, listAudit } from './index';
import { dataOra } from '../shared/formato';
import { toCsv } from '../web/csv';
import { dettagliLeggibili, etichettaAzione } from './etichette';
import { numeroPagina, scelta } from '../web/parametri';

const PER_PAGINA = 50;

function filtri(q: Record<string, unknown>): { azione: string | null; pagina: number } {
  scelta(q, 'formato', ['json', 'csv']);
  return { azione: scelta(q, 'azione', AZIONI_AUDIT), pagina: numeroPagina(q) };
}

/** /audit (UdP): the audit log, newest first, paged, filtered by action; JSON and CSV twins. */
export function auditRouter(ctx: AppContext): express.Router {
  const r = express.Router();
  const tz = ctx.config.tzScheduler;

  r.get('/audit', permit('audit.vedere'), async (req, res) => {
    const f = filtri(req.query);
    const page = await listAudit(ctx.db, { azione: f.azione, pagina: f.pagina, perPagina: PER_PAGINA });
    const link = (p: number) => `/audit?${new URLSearchParams({ ...(f.azione ? { azione: f.azione } : {}), pagina: String(p) })}`;
    res.render('audit', {
      title: 'Registro degli accessi',
      azioni: AZIONI_AUDIT.map((a) => ({ valore: a, etichetta: etichettaAzione(a), scelta: a === f.azione })),
      azione: f.azione ? etichettaAzione(f.azione) : null,
      righe: page.righe.map((x) => ({ ...x, quando: dataOra(x.quando, tz), azione: etichettaAzione(x.azione), dettagli: dettagliLeggibili(x.dettagli as Record<string, unknown> | null) })),
      totale: page.totale,
      pagina: page.pagina,
      pagine: page.pagine,
      precedente: page.pagina > 1 ? link(page.pagina - 1) : null,
      successiva: page.pagina < page.pagine ? link(page.pagina + 1) : null,
      csv: `/api/audit?${new URLSearchParams({ ...(f.azione ? { azione: f.azione } : {}), formato: 'csv' })}`,
    });
  });

  r.get('/api/audit', permit('audit.vedere'), async (req, res) => {
    const f = filtri(req.query);
    if (req.query.formato === 'csv') {
      // The whole filtered log (bounded): an export of the audit log is itself audited.
      const page = await listAudit(ctx.db, { azione: f.azione, pagina: 1, perPagina: 100_000 });
      await audit(ctx.db, { ...chi(req), azione: 'esportazione', dettagli: { pagina: '/api/audit', formato: 'csv', azione: f.azione, righe: page.righe.length } });
      res.type('text/csv; charset=utf-8').attachment('audit.csv');
      res.send(toCsv(['id', 'quando', 'utente_id', 'email', 'azione', 'dettagli', 'ip'], page.righe.map((x) => [x.id, x.quando, x.utente_id, x.email, x.azione, x.dettagli, x.ip])));
      return;
    }
    const page = await listAudit(ctx.db, { azione: f.azione, pagina: f.pagina, perPagina: PER_PAGINA });
    res.json(page);
  });

  return r;
}
