import { onImport } from '../importazione/dopo';
import { runJob } from '../../jobs';

/**
 * After a registry snapshot is imported, run the `variazioni` job (through runJob: locked and
 * logged like any job), so the social workers hear of the changes without waiting for the
 * night. A failure does not undo the import: it is reported on the returned line, and the
 * nightly run picks the comparison up again.
 */
export function registerVariazioni(): void {
  onImport(async (ctx, kind) => {
    if (kind !== 'anagrafe') return null;
    try {
      return (await runJob(ctx, 'variazioni', { origine: 'importazione anagrafe' })).messaggio;
    } catch (e) {
      ctx.log.error({ err: e }, "variazioni anagrafiche dopo l'importazione non calcolate");
      return `Variazioni anagrafiche non calcolate: ${(e as Error).message}`;
    }
  });
}
