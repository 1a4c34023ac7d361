/**
 * A usage error is not an import (issue 14): `import siz` on a path that does not exist, or on a
 * file instead of a folder, records nothing in `importazioni`, so it neither changes the
 * reliability verdict nor holds the monthly digest. A real rejected file set does both, until
 * a later good import of the same kind.
 */
import path from 'node:path';
import { describeDb } from '../support/db';
import { csv, tempFiles } from '../support/files';
import { importSiz } from '../../server/importazione/siz';
import { importCensimento } from '../../server/importazione/censimento';
import { PercorsoNonValido } from '../../server/importazione/percorso';
import { verdettoCorrente } from '../../server/qualita/verdetto';
import { motiviBlocco } from '../../server/riepilogo/service';
import { mailContext } from '../posta/support';
import { comuniConContatti, importaCensimento, importaSiz, LODI, riconcilia } from '../promemoria/piano';

const righe = async (knex: import('knex').Knex) => (await knex('importazioni').orderBy('id').select('tipo', 'esito')) as { tipo: string; esito: string }[];

describeDb('importazione: un percorso sbagliato non è un\'importazione', (get) => {
  test('un percorso inesistente non cambia il verdetto né blocca il riepilogo; un insieme rifiutato sì, fino al successivo buono', async () => {
    const db = get();
    const ctx = mailContext(db);
    ctx.clock.day('2026-11-22');
    await comuniConContatti(db);
    await importaCensimento(db, '2026-11-01', { [LODI]: 10 });
    await importaSiz(db, '2026-11-21', { [LODI]: 8 });
    await riconcilia(ctx, '2026-11-22');
    const prima = await righe(db.knex);
    expect(prima).toEqual([{ tipo: 'censimento', esito: 'ok' }, { tipo: 'siz', esito: 'ok' }]);
    expect((await verdettoCorrente(db)).verdetto).toBe('affidabile');
    expect(await motiviBlocco(ctx, '2026-11-22')).toEqual([]);

    await expect(importSiz(db, '/percorso/inesistente')).rejects.toThrow(new PercorsoNonValido('/percorso/inesistente: la cartella non esiste', 2));
    const unFile = tempFiles({ 'cartelle.csv': 'x\n' });
    await expect(importSiz(db, path.join(unFile, 'cartelle.csv'))).rejects.toBeInstanceOf(PercorsoNonValido);
    await expect(importCensimento(db, path.join(unFile, 'manca.csv'))).rejects.toThrow(`${path.join(unFile, 'manca.csv')}: il file non esiste`);
    expect(await righe(db.knex)).toEqual(prima);
    expect((await verdettoCorrente(db)).verdetto).toBe('affidabile');
    expect(await motiviBlocco(ctx, '2026-11-22')).toEqual([]);

    // A real rejected file set (cartelle.csv without its required columns) does count...
    const rifiutato = tempFiles({ 'cartelle.csv': csv([['id_cartella'], ['C1']]), 'membri.csv': csv([['id_cartella', 'codice_fiscale'], ['C1', 'X']]), 'estrazione.txt': '2026-11-22\n' });
    await expect(importSiz(db, rifiutato)).rejects.toThrow('Importazione rifiutata');
    expect((await righe(db.knex)).at(-1)).toEqual({ tipo: 'siz', esito: 'rifiutata' });
    expect((await verdettoCorrente(db)).verdetto).toBe('non_affidabile');
    const blocco = await motiviBlocco(ctx, '2026-11-22');
    expect(blocco).toHaveLength(1);
    expect(blocco[0]).toMatch(/^i dati importati non sono affidabili: l'ultima importazione SIZ \(n\. \d+ del .+\) è stata rifiutata/);

    // ...only until a later good import of the same kind.
    await importaSiz(db, '2026-11-22', { [LODI]: 9 });
    expect((await verdettoCorrente(db)).verdetto).toBe('affidabile');
    expect(await motiviBlocco(ctx, '2026-11-22')).toEqual([]);
  });
});
