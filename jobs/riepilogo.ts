import { runRiepilogo } from '../server/riepilogo/service';
import { riepilogoConsegna } from '../server/posta/messaggi';
import type { JobDef } from './tipi';

/**
 * Monthly scorecard digest to each comune's contacts (docs/interfacce.md, "Job"): CRON_RIEPILOGO.
 */
export const riepilogoJob: JobDef = {
  name: 'riepilogo',
  schedule: (ctx) => ctx.config.cron.riepilogo,
  async run(ctx, opts) {
    const e = await runRiepilogo(ctx, { oggi: opts.oggi });
    const testa = e.trattenuto
      ? `Riepilogo di ${e.mese} TRATTENUTO (${e.motivi.join('; ')}): allerta all'Ufficio di Piano, ${e.accodati} messaggi nuovi in coda.`
      : `Riepilogo di ${e.mese}: ${e.comuni} comuni con contatti, ${e.accodati} messaggi nuovi in coda.`;
    return {
      messaggio: `${testa} ${riepilogoConsegna(ctx, e.consegna)}`,
      conteggi: { trattenuto: e.trattenuto ? 1 : 0, comuni: e.comuni, accodati: e.accodati, ...e.consegna },
    };
  },
};
