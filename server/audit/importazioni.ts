import os from 'node:os';
import type { AppContext } from '../context';
import { onImport } from '../importazione/dopo';
import { ultimaImportazione } from '../importazione/registro';
import { audit } from './index';

/**
 * Every successful import is audited, whichever way it came (command line, inbox, demo):
 * the after-import hook reads the import log row it follows for the details.
 */
export function registerImportAudit(): void {
  onImport(async (ctx: AppContext, kind: string) => {
    const r = await ultimaImportazione(ctx.db, kind);
    await audit(ctx.db, {
      azione: 'importazione',
      // A command line import has no account: who is then the system user that ran it.
      email: r?.utente ?? `${os.userInfo().username}@${os.hostname()} (riga di comando)`,
      dettagli: { tipo: kind, importazione_id: r ? Number(r.id) : null, origine: r?.origine ?? null, righe: r?.righe ?? null, data_estrazione: r?.data_estrazione ?? null },
    });
    return null;
  });
}
