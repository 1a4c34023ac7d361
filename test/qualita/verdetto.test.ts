/**
 * Reliability verdict of the latest SIZ extract: more than 5% of the rows (cartelle +
 * prestazioni + accessi) without a valid comune, or a failed SIZ import after the latest accepted
 * one, make it `non_affidabile`, with the reason in Italian.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeDb } from '../support/db';
import { importSiz } from '../../server/importazione/siz';
import { runQualita, verdettoCorrente } from '../../server/qualita/service';
import { csv, tempFiles } from '../support/files';
import { cf, loadSiz, resetDb, Siz, sizFiles, testCtx } from './helpers';

/** 10 cartelle + 10 accessi = 20 rows, `senza` of them without a comune; members do not count. */
function estrazione(senza: number): Siz {
  const n = Array.from({ length: 10 }, (_, i) => i + 1);
  return {
    cartelle: n.map((i) => ({ id: `C${i}`, istat: i <= Math.min(senza, 1) ? null : undefined })),
    membri: [...n.map((i) => ({ c: `C${i}`, cf: cf(i) })), ...[11, 12, 13, 14, 15].map((i) => ({ c: 'C1', cf: cf(i), ruolo: 'componente' }))],
    accessi: n.map((i) => ({ id: `A${i}`, istat: i <= senza - 1 ? '099999' : undefined })),
  };
}

describeDb('qualita: verdetto di affidabilità', (get) => {
  beforeEach(async () => {
    await resetDb(get());
  });

  test('exactly 5% of rows without a comune is still reliable', async () => {
    await loadSiz(get(), estrazione(1));
    const v = await verdettoCorrente(get());
    expect(v).toEqual({ verdetto: 'affidabile', motivo: null, data_estrazione: '2026-11-21', righe: 20, righe_senza_comune: 1, percentuale_senza_comune: 5 });
    // The run counts the rows in its own preparation (verdetto_conteggi.sql): the same verdict.
    const run = await runQualita(testCtx(get()));
    expect([run.verdetto, run.motivo, run.data_estrazione]).toEqual(['affidabile', null, '2026-11-21']);
  });

  test('more than 5% of rows without a comune is not reliable, with the reason; the run stores it', async () => {
    await loadSiz(get(), estrazione(2));
    const v = await verdettoCorrente(get());
    expect(v.verdetto).toBe('non_affidabile');
    expect(v.motivo).toBe('il 10% delle righe di cartelle, prestazioni e accessi (2 su 20) non ha un comune valido, oltre la soglia del 5%');
    const run = await runQualita(testCtx(get()));
    expect([run.verdetto, run.motivo]).toEqual(['non_affidabile', v.motivo]);
    const stored = await get().knex('qualita_esecuzioni').where({ id: run.esecuzione_id }).first();
    expect([stored.verdetto, stored.data_estrazione]).toEqual(['non_affidabile', '2026-11-21']);
  });

  test('a rejected SIZ import after the latest accepted one is not reliable, until an extract is accepted again', async () => {
    const good = sizFiles(estrazione(0));
    const dir = tempFiles(good);
    await importSiz(get(), dir);
    expect((await verdettoCorrente(get())).verdetto).toBe('affidabile');

    const bad = tempFiles({ ...good, 'cartelle.csv': csv([['id_cartella', 'codice_istat', 'data_apertura'], ['C1', '098031', '31/02/2026']]), 'estrazione.txt': '2026-11-22\n' });
    await expect(importSiz(get(), bad)).rejects.toThrow('Importazione rifiutata');
    const v = await verdettoCorrente(get());
    expect(v.verdetto).toBe('non_affidabile');
    expect(v.motivo).toMatch(/^l'ultima importazione SIZ \(n\. \d+ del .+\) è stata rifiutata: i dati caricati sono quelli dell'estrazione precedente del 21\/11\/2026$/);
    expect(v.data_estrazione).toBe('2026-11-21');

    // The same good files again: accepted (nothing to change), so the loaded data is the extract.
    expect((await importSiz(get(), dir)).esito).toBe('nessuna_modifica');
    expect((await verdettoCorrente(get())).verdetto).toBe('affidabile');
    fs.rmSync(path.join(bad), { recursive: true, force: true });
  });

  test('both reasons together, and no extract at all', async () => {
    expect(await verdettoCorrente(get())).toMatchObject({ verdetto: 'non_affidabile', motivo: 'nessuna estrazione SIZ caricata', righe: 0 });
    const vuota = await runQualita(testCtx(get()));
    expect([vuota.verdetto, vuota.motivo, vuota.data_estrazione]).toEqual(['non_affidabile', 'nessuna estrazione SIZ caricata', null]);
    await loadSiz(get(), estrazione(3));
    await expect(importSiz(get(), tempFiles({ 'cartelle.csv': 'id_cartella\nC1\n' }))).rejects.toThrow();
    const v = await verdettoCorrente(get());
    expect(v.motivo!.split('; ').map((m) => m.slice(0, 30))).toEqual(['il 15% delle righe di cartelle', "l'ultima importazione SIZ (n. "]);
    const run = await runQualita(testCtx(get()));
    expect([run.verdetto, run.motivo]).toEqual(['non_affidabile', v.motivo]);
  });
});
