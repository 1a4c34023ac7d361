import { runQualita } from '../server/qualita/service';
import { runLine } from '../server/qualita/messaggio';
import type { JobDef } from './tipi';

/** Data-quality checks (docs/interfacce.md, "Job"): run after imports and on demand. */
export const qualitaJob: JobDef = {
  name: 'qualita',
  async run(ctx, opts) {
    const e = await runQualita(ctx, { oggi: opts.oggi });
    return {
      messaggio: runLine(e),
      conteggi: { segnalazioni: e.risultati, errori: e.errori, avvisi: e.avvisi, nuove: e.nuovi ?? 0, risolte: e.risolti ?? 0, durata_ms: e.durata_ms },
    };
  },
};
