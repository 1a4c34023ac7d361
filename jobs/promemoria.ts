import { runPromemoria } from '../server/promemoria/service';
import { riepilogoConsegna } from '../server/posta/messaggi';
import type { JobDef } from './tipi';
import { riepilogoJob } from './riepilogo';
import { postaJob } from './posta';

/** Deadline reminders to comuni (docs/interfacce.md, "Job"): daily, CRON_PROMEMORIA. */
export const promemoriaJob: JobDef = {
  name: 'promemoria',
  schedule: (ctx) => ctx.config.cron.promemoria,
  async run(ctx, opts) {
    const e = await runPromemoria(ctx, { oggi: opts.oggi });
    const righe = [
      `Promemoria: ${e.scadenze_aperte} scadenze aperte, ${e.raggiunte} raggiunte; ${e.accodati} messaggi nuovi in coda${e.ritirati ? `, ${e.ritirati} ritirati` : ''}${e.senza_destinatari ? `, ${e.senza_destinatari} scadenze senza destinatari` : ''}.`,
      riepilogoConsegna(ctx, e.consegna),
    ];
    return {
      messaggio: righe.join(' '),
      conteggi: { scadenze_aperte: e.scadenze_aperte, raggiunte: e.raggiunte, accodati: e.accodati, ritirati: e.ritirati, senza_destinatari: e.senza_destinatari, ...e.consegna },
    };
  },
};

/** This feature's jobs, in the order `tutti` runs them: reminders, the monthly digest, the retry pass. */
export function promemoriaJobs(): JobDef[] {
  return [promemoriaJob, riepilogoJob, postaJob];
}
