/**
 * Two registry imports of the same date at the same moment (a command beside an upload, or two
 * instances on one PostgreSQL): both end well, one after the other, and the snapshot left is one
 * file's, whole, never a mix (server/importazione/anagrafe.ts takes a transaction lock).
 */
import path from 'node:path';
import { describeDb, truncateAll } from '../support/db';
import { csv, tempFiles } from '../support/files';
import { CF, seedComuni } from '../support/fixtures';
import { buildCf } from '../../server/shared/cf';
import { importAnagrafe } from '../../server/importazione/anagrafe';

const RIGHE = 20_000;
const HEADER = ['codice_fiscale', 'cognome', 'nome', 'sesso', 'data_nascita', 'codice_istat', 'indirizzo', 'id_famiglia'];

describeDb('import anagrafe concorrenti', (get) => {
  beforeEach(async () => {
    await truncateAll(get());
    await seedComuni(get());
  });

  test('due importazioni della stessa data insieme: entrambe riuscite, resta lo snapshot intero di una delle due', async () => {
    // Files long enough for the two COPYs to overlap (a few rows: one import could end before the other began).
    const giorno = (i: number) => new Date(Date.UTC(1940, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const file = (via: string) =>
      path.join(
        tempFiles({
          'anagrafe.csv': csv([
            HEADER,
            [CF.mario, 'ROSSI', 'MARIO', 'M', '1980-01-01', '098031', `${via} 1`, 'F1'],
            [CF.luca, 'BIANCHI', 'LUCA', 'M', '1990-05-05', '098031', `${via} 2`, 'F2'],
            [CF.anna, 'VERDI', 'ANNA', 'F', '1970-03-03', '098010', `${via} 3`, 'F3'],
            ...Array.from({ length: RIGHE }, (_, i) => [buildCf('GLL', 'PLA', giorno(i), 'M', 'E648'), 'GIALLI', 'PAOLA', 'M', giorno(i), '098010', `${via} ${i + 4}`, `G${i}`]),
          ]),
        }),
        'anagrafe.csv',
      );
    const [a, b] = await Promise.all([importAnagrafe(get(), file('Via Roma'), { data: '2026-11-01' }), importAnagrafe(get(), file('Via Po'), { data: '2026-11-01' })]);
    expect([a.esito, b.esito]).toEqual(['ok', 'ok']);
    const snap = await get().knex('anagrafe_snapshot').where({ data_snapshot: '2026-11-01' }).orderBy('codice_istat').select('codice_istat', 'righe', 'importazione_id');
    expect(snap.map((s) => [s.codice_istat, s.righe])).toEqual([
      ['098010', RIGHE + 1],
      ['098031', 2],
    ]);
    // Both comuni from the same import, and every address from the same file.
    expect(new Set(snap.map((s) => s.importazione_id)).size).toBe(1);
    const vie = (await get().knex('anagrafe').pluck('indirizzo')) as string[];
    expect(vie).toHaveLength(RIGHE + 3);
    expect(new Set(vie.map((v) => v.split(' ').slice(0, 2).join(' '))).size).toBe(1);
  });

  test("più comuni nel file che identificativi riservati (comuni fuori dall'anagrafica dei comuni): importato lo stesso, uno snapshot per comune", async () => {
    const righe = Array.from({ length: 200 }, (_, i) => {
      const nascita = `${1920 + Math.floor(i / 10)}-${String(1 + (i % 10)).padStart(2, '0')}-15`;
      return [buildCf('RSS', 'MRA', nascita, 'M', 'E648'), 'ROSSI', 'MARIO', 'M', nascita, `099${String(i).padStart(3, '0')}`, `Via ${i}`, `F${i}`];
    });
    // Distinct CFs: same name, distinct birth dates (200 rows, 200 dates).
    expect(new Set(righe.map((r) => r[0])).size).toBe(200);
    const out = await importAnagrafe(get(), path.join(tempFiles({ 'anagrafe.csv': csv([HEADER, ...righe]) }), 'anagrafe.csv'), { data: '2026-11-01' });
    expect(out.esito).toBe('ok');
    expect(out.avvisi.join(' ')).toMatch(/comuni non presenti nell'anagrafica dei comuni: 099000, 099001/);
    const snap = await get().knex('anagrafe_snapshot').where({ data_snapshot: '2026-11-01' }).count('* as n').sum('righe as r');
    expect(Number(snap[0].n)).toBe(200);
    expect(Number(snap[0].r)).toBe(200);
  });
});
