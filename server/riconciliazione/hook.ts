import { onImport } from '../importazione/dopo';
import { runJob } from '../../jobs';

/** Imports after which the figures change: SIZ data, census, registry, deadlines. */
export const RICONCILIA_DOPO = ['siz', 'censimento', 'comuni', 'scadenze'];

/**
 * After a successful import of those kinds, run the `riconciliazione` job (through runJob, so
 * it is locked and logged like any job) and return its one-line summary. A failure does not
 * undo the import: it is reported on that line.
 */
export function registerRiconciliazione(): void {
  onImport(async (ctx, kind) => {
    if (!RICONCILIA_DOPO.includes(kind)) return null;
    try {
      return (await runJob(ctx, 'riconciliazione', { origine: `importazione ${kind}` })).messaggio;
    } catch (e) {
      ctx.log.error({ err: e }, 'riconciliazione dopo l\'importazione fallita');
      return `Riconciliazione non eseguita: ${(e as Error).message}`;
    }
  });
}
