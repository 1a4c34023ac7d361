import { onImport } from '../importazione/dopo';
import { runJob } from '../../jobs';

/** Imports after which the checks run: SIZ data, the registry (deaths), the census (sopra_dichiarato). */
export const QUALITA_DOPO = ['siz', 'anagrafe', 'censimento'];

/**
 * Registers the after-import hook (called once from server/features.ts, after the
 * reconciliation's, whose latest run `sopra_dichiarato` reads). The checks run through runJob,
 * so they are locked and logged like any job; a failure does not undo the import, it is
 * reported on the returned line.
 */
export function registerQualita(): void {
  onImport(async (ctx, kind) => {
    if (!QUALITA_DOPO.includes(kind)) return null;
    try {
      return (await runJob(ctx, 'qualita', { oggi: ctx.clock.today(), origine: 'importazione' })).messaggio;
    } catch (e) {
      ctx.log.error({ err: e }, 'controlli di qualità dopo l\'importazione falliti');
      return `Controlli di qualità non eseguiti: ${(e as Error).message}`;
    }
  });
}
