import { runRiconciliazione } from '../server/riconciliazione/service';
import type { JobDef } from './tipi';

/** Census metrics, digitalization and forecast; no schedule of its own: chained after imports. */
export const riconciliazioneJob: JobDef = {
  name: 'riconciliazione',
  async run(ctx, opts) {
    const res = await runRiconciliazione(ctx, { oggi: opts.oggi });
    return {
      messaggio: res.messaggio,
      conteggi: { comuni: res.comuni, ...res.stati, a_rischio: res.a_rischio },
    };
  },
};
