import { eseguiVariazioni, sintesi } from '../server/variazioni/service';
import type { JobDef } from './tipi';

/** Registry variations -> alarms and one digest per operatore (docs/interfacce.md, "Job"). */
export const variazioniJob: JobDef = {
  name: 'variazioni',
  schedule: (ctx) => ctx.config.cron.variazioni,
  async run(ctx) {
    return sintesi(await eseguiVariazioni(ctx));
  },
};
