import { deliverPending } from '../server/posta/outbox';
import { riepilogoConsegna } from '../server/posta/messaggi';
import type { JobDef } from './tipi';

/**
 * Sends what is due in the outbox: the retries with backoff of messages that failed. The
 * reminder and digest jobs send right after enqueueing; this one makes a retry happen on time.
 */
export const postaJob: JobDef = {
  name: 'posta',
  schedule: () => '*/10 * * * *',
  async run(ctx) {
    const r = await deliverPending(ctx);
    return { messaggio: riepilogoConsegna(ctx, r), conteggi: { ...r } };
  },
};
