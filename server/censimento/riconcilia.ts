import type { AppContext } from '../context';
import { runJob } from '../../jobs';
import { jobDovuti } from '../../jobs/catena';
import { findJob } from '../../jobs/elenco';

/**
 * After submissions from the form, the chain that follows a census import (jobs/catena.ts:
 * reconciliation, then the quality checks) runs ONCE for a burst of submissions: each one
 * (re)starts a short wait, and the chain runs when the wait ends. The scorecards show the new
 * declarations the same day, and ten comuni answering in a minute cost one run, not ten.
 */
export const ATTESA_RICONCILIAZIONE_MS = 5_000;

interface Attesa {
  timer: NodeJS.Timeout | null;
  corsa: Promise<void>;
}
const attese = new WeakMap<AppContext, Attesa>();

async function esegui(ctx: AppContext): Promise<void> {
  for (const job of jobDovuti(['censimento'])) {
    if (!findJob(job)) continue;
    try {
      await runJob(ctx, job, { origine: 'censimento online' });
    } catch (e) {
      ctx.log.error({ err: e, job }, `${job} dopo le dichiarazioni del censimento non riuscito`);
    }
  }
}

/** A submission happened: the chain runs once the burst is over. */
export function pianificaRiconciliazione(ctx: AppContext, attesaMs = ATTESA_RICONCILIAZIONE_MS): void {
  const a = attese.get(ctx) ?? { timer: null, corsa: Promise.resolve() };
  if (a.timer) clearTimeout(a.timer);
  a.timer = setTimeout(() => {
    a.timer = null;
    a.corsa = a.corsa.then(() => esegui(ctx));
  }, attesaMs);
  a.timer.unref?.();
  attese.set(ctx, a);
}

/** Runs the waiting chain now (if any) and waits for it: tests, and a clean shutdown. */
export async function attendiRiconciliazione(ctx: AppContext): Promise<boolean> {
  const a = attese.get(ctx);
  if (!a) return false;
  let avviata = false;
  if (a.timer) {
    clearTimeout(a.timer);
    a.timer = null;
    a.corsa = a.corsa.then(() => esegui(ctx));
    avviata = true;
  }
  await a.corsa;
  return avviata;
}
