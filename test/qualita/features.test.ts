/**
 * The product wiring (server/features.ts): after a census import the reconciliation runs first,
 * then the quality checks, whose `sopra_dichiarato` reads that very reconciliation.
 */
import path from 'node:path';
import { describeDb } from '../support/db';
import { csv, tempFiles } from '../support/files';
import { registerFeatures } from '../../server/features';
import { dopoImportazioni } from '../../jobs';
import { importCensimento } from '../../server/importazione/censimento';
import { findings } from '../../server/qualita/service';
import { cf, LODI, loadSiz, resetDb, testCtx } from './helpers';

describeDb('qualita: dopo le importazioni, con la riconciliazione', (get) => {
  beforeAll(() => registerFeatures());
  beforeEach(async () => {
    await resetDb(get());
  });

  test('census import -> reconciliation -> checks: a comune above its declaration gets sopra_dichiarato; a higher declaration removes it', async () => {
    const ctx = testCtx(get());
    await loadSiz(get(), {
      cartelle: [1, 2, 3].map((i) => ({ id: `C${i}`, ap: '2025-01-01' })),
      membri: [1, 2, 3].map((i) => ({ c: `C${i}`, cf: cf(i) })),
    });
    await dopoImportazioni(ctx, ['siz']);

    const dir = tempFiles({ 'censimento.csv': csv([['codice_istat', 'data_riferimento', 'cartelle_attive'], [LODI, '2026-06-30', 2]]) });
    await importCensimento(get(), path.join(dir, 'censimento.csv'));
    const lines = await dopoImportazioni(ctx, ['censimento']);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^Controlli di qualità:/);
    const f = await findings(get(), { comune: LODI, controllo: 'sopra_dichiarato' });
    expect(f.map((x) => [x.valore, x.messaggio, x.nuovo])).toEqual([
      [150, 'Cartelle attive in SIZ (3) più di quelle dichiarate nel censimento (2): digitalizzazione al 150,00%, da verificare con il comune', true],
    ]);

    const dir2 = tempFiles({ 'censimento.csv': csv([['codice_istat', 'data_riferimento', 'cartelle_attive'], [LODI, '2026-06-30', 3]]) });
    await importCensimento(get(), path.join(dir2, 'censimento.csv'));
    await dopoImportazioni(ctx, ['censimento']);
    expect(await findings(get(), { comune: LODI, controllo: 'sopra_dichiarato' })).toEqual([]);
    const lodi = await get().knex('qualita_comuni').where({ codice_istat: LODI }).orderBy('esecuzione_id', 'desc').first();
    expect(lodi.risolti).toBe(1);
  });
});
