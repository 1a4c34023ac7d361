import { calcolaFatti } from '../server/fatti/calcola';
import type { JobDef } from './tipi';

/**
 * The precomputed facts of the cruscotto pages (server/fatti, docs/fatti.md): last in the nightly
 * chain, after every import (jobs/catena.ts); also `cruscotto run fatti`.
 */
export const fattiJob: JobDef = {
  name: 'fatti',
  async run(ctx, opts) {
    const r = await calcolaFatti(ctx.db, opts.oggi ?? ctx.clock.today(), ctx.clock.now());
    const anni = r.chiavi.anni.length ? `${r.chiavi.anni[0]}-${r.chiavi.anni[r.chiavi.anni.length - 1]}` : 'nessuno';
    return {
      messaggio: `Cifre del cruscotto precalcolate: ${r.righe.toLocaleString('it-IT')} righe (anni ${anni}, ${r.chiavi.mesi.length} mesi) in ${r.secondi.toFixed(1)} s.`,
      conteggi: { righe: r.righe },
    };
  },
};
