import type { AppContext } from '../context';
import { onImport } from '../importazione/dopo';
import { ultimaImportazione } from '../importazione/registro';
import { CENSUS_METRICS } from '../importazione/schede';
import { avvisi, Avviso, esamina, Figure } from './regole';
import { riferimenti } from './riferimenti';

/**
 * Comuni that prefer Excel: a census sheet imported (upload, inbox, command line) while a round
 * is open answers that round for the comuni it carries at the round's E. The answer is recorded
 * as a submission (`origine` importazione) with the same warnings as the form, and meets the
 * comune's deadline. The census rows themselves are the import's.
 */
export async function registraImportazione(ctx: AppContext): Promise<number> {
  const imp = await ultimaImportazione(ctx.db, 'censimento');
  if (!imp) return 0;
  const rows = await ctx.db.knex('censimento as s')
    .join('censimento_giri_comuni as gc', 'gc.codice_istat', 's.codice_istat')
    .join('censimento_giri as g', (j) => j.on('g.id', 'gc.giro_id').andOn('g.data_riferimento', 's.data_riferimento'))
    .where({ 's.importazione_id': imp.id, 'g.stato': 'aperto' })
    .select('s.*', 'g.id as giro_id', 'gc.scadenza_id');
  const now = ctx.clock.now();
  for (const r of rows) {
    const f = {} as Figure;
    for (const m of CENSUS_METRICS) f[m] = r[m] == null ? null : Number(r[m]);
    // The form's rules, shown as warnings: the sheet is the data contract's, which they do not refuse.
    const esame = esamina(Object.fromEntries(CENSUS_METRICS.map((m) => [m, f[m] == null ? '' : String(f[m])])), true);
    const regole: Avviso[] = Object.entries(esame.errori).map(([campo, messaggio]) => ({ campo, messaggio }) as Avviso);
    const av = [...regole, ...avvisi(f, await riferimenti(ctx, r.codice_istat, r.data_riferimento))];
    await ctx.db.knex.transaction(async (trx) => {
      await trx('censimento_dichiarazioni')
        .insert({ giro_id: r.giro_id, codice_istat: r.codice_istat, stato: 'inviata', ...f, note: r.note, aggiornata_da: imp.utente ?? 'importazione', aggiornata_il: now })
        .onConflict(['giro_id', 'codice_istat'])
        .merge();
      await trx('censimento_invii').insert({ giro_id: r.giro_id, codice_istat: r.codice_istat, ...f, note: r.note, origine: 'importazione', inviato_da: imp.utente ?? null, inviato_il: now, avvisi: JSON.stringify(av) });
      if (r.scadenza_id) await trx('scadenze').where({ id: r.scadenza_id }).update({ completata_il: now, aggiornata_il: now });
    });
  }
  return rows.length;
}

let registrato = false;

/** Called once by registerFeatures(). */
export function registerCensimento(): void {
  if (registrato) return;
  registrato = true;
  onImport(async (ctx, kind) => {
    if (kind !== 'censimento') return null;
    const n = await registraImportazione(ctx);
    return n ? `Censimento online: ${n} ${n === 1 ? 'comune ha risposto' : 'comuni hanno risposto'} con il foglio importato.` : null;
  });
}
