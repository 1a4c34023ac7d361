/**
 * The nightly cycle as the benchmark times it: every import of the data set, then the jobs
 * through runJob (locked and logged as in production), one timed step each. The
 * reconciliation runs before the quality checks, as in jobs/registry.ts: `sopra_dichiarato`
 * reads the latest reconciliation.
 */
import os from 'node:os';
import path from 'node:path';
import type { AppContext } from '../server/context';
import { importComuni } from '../server/importazione/comuni';
import { importSiz } from '../server/importazione/siz';
import { importCensimento } from '../server/importazione/censimento';
import { importScadenze } from '../server/importazione/scadenze';
import { importAnagrafe } from '../server/importazione/anagrafe';
import { runJob } from '../jobs/index';
import { aggiornamento } from '../server/fatti/notte';
import type { Passo } from './protocollo';

export async function cicloNotturno(ctx: AppContext, dir: string, oggi: string): Promise<Passo[]> {
  const opts = { utente: 'bench' };
  const passi: Passo[] = [];
  // The rows of an import are the ones its outcome reports (a SIZ table left unchanged is not counted).
  const step = async (passo: string, f: () => Promise<unknown>) => {
    const t = process.hrtime.bigint();
    const out = (await f()) as { righe?: Record<string, number> } | undefined;
    const secondi = Number(process.hrtime.bigint() - t) / 1e9;
    const righe = out?.righe ? Object.values(out.righe).reduce((a, b) => a + Number(b), 0) : undefined;
    passi.push({ passo, secondi: +secondi.toFixed(2), righe, loadavg_1m: +os.loadavg()[0].toFixed(2), rss_mb: Math.round((process.resourceUsage().maxRSS * 1024) / 1e6) });
  };
  const t0 = process.hrtime.bigint();
  // One night for the pages from the first import to the facts, as the inbox job is in
  // production (a job run 'in_corso' throughout) and an upload or `cruscotto import` with its
  // chain (server/fatti/notte.ts, aggiornamento).
  await aggiornamento(ctx.db, 'bench', async () => {
    await step('import comuni', () => importComuni(ctx.db, path.join(dir, 'comuni.csv'), opts));
    await step('import siz', () => importSiz(ctx.db, path.join(dir, 'siz'), opts));
    await step('import censimento', () => importCensimento(ctx.db, path.join(dir, 'censimento.csv'), opts));
    await step('import scadenze', () => importScadenze(ctx.db, path.join(dir, 'scadenze.csv'), opts));
    await step('import anagrafe T0', () => importAnagrafe(ctx.db, path.join(dir, 'anagrafe', '1', 'anagrafe.csv'), { ...opts, oggi }));
    await step('import anagrafe T1', () => importAnagrafe(ctx.db, path.join(dir, 'anagrafe', '2', 'anagrafe.csv'), { ...opts, oggi }));
    for (const job of ['riconciliazione', 'qualita', 'variazioni', 'promemoria', 'fatti']) {
      await step(job, async () => {
        const r = await runJob(ctx, job, { oggi, origine: 'bench' });
        if (r.esito !== 'ok') throw new Error(`${job}: ${r.messaggio}`);
      });
    }
  });
  passi.push({ passo: 'ciclo notturno (totale)', secondi: +(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(2), loadavg_1m: +os.loadavg()[0].toFixed(2) });
  return passi;
}
