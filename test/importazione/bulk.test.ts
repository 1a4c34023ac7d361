/**
 * The PGlite bulk paths of BulkLoader: a COPY file inside the data folder (on disk) and COPY
 * from blobs (in memory). PostgreSQL's streamed COPY runs in every import test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { migrate, openDb, PGLITE_IMPORT_DIR } from '../../server/db';
import { importSiz } from '../../server/importazione/siz';
import { ImportRejected } from '../../server/importazione/problemi';
import { openTestDb } from '../support/db';
import { csv, tempFiles } from '../support/files';
import { CF, seedComuni } from '../support/fixtures';

const extract = (accessi: string[][]) =>
  tempFiles({
    'cartelle.csv': csv([['id_cartella', 'data_apertura'], ['C1', '2020-01-01']]),
    'membri.csv': csv([['id_cartella', 'codice_fiscale'], ['C1', CF.mario]]),
    'accessi.csv': csv([['id_accesso', 'data_accesso', 'motivo_accesso'], ...accessi]),
  });

describe('BulkLoader on PGlite', () => {
  test('on disk: rows go through a COPY file in the data folder, removed after a good and a rejected import', async () => {
    const db = await openTestDb('pglite');
    try {
      await seedComuni(db);
      const copies = path.join(db.pgliteDir!, PGLITE_IMPORT_DIR);
      const rows = Array.from({ length: 2500 }, (_, i) => [`A${i}`, '2024-01-01', i % 2 ? 'testo, con virgola' : 'riga "citata"']);
      const out = await importSiz(db, extract(rows));
      expect(out.righe.accessi).toBe(2500);
      const back = await db.knex('accessi').whereIn('id_accesso', ['A0', 'A1']).orderBy('id_accesso').select('motivo_accesso');
      expect(back.map((r) => r.motivo_accesso)).toEqual(['riga "citata"', 'testo, con virgola']);
      expect(fs.existsSync(copies) ? fs.readdirSync(copies) : []).toEqual([]);

      await expect(importSiz(db, extract([['B1', '2024-01-01', 'x'], ['B1', '2024-01-02', 'y']]))).rejects.toThrow(ImportRejected);
      expect(fs.existsSync(copies) ? fs.readdirSync(copies) : []).toEqual([]);
      expect(Number((await db.knex('accessi').count('* as n'))[0].n)).toBe(2500);
    } finally {
      await db.dispose();
    }
  });

  test('a COPY file left by an interrupted import is removed when the database opens again', async () => {
    const db = await openTestDb('pglite');
    const dir = db.pgliteDir!;
    await db.close();
    const copies = path.join(dir, PGLITE_IMPORT_DIR);
    fs.mkdirSync(copies, { recursive: true });
    fs.writeFileSync(path.join(copies, 'copia-1-1.csv'), 'A1,2024-01-01\n');
    const again = await openDb({ pgliteDir: dir });
    try {
      expect(fs.existsSync(copies)).toBe(false);
    } finally {
      await again.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('in memory: rows go through COPY blobs', async () => {
    const db = await openDb({});
    try {
      expect(db.pgliteDir).toBeUndefined();
      await migrate(db);
      await seedComuni(db);
      const out = await importSiz(db, extract(Array.from({ length: 6001 }, (_, i) => [`A${i}`, '2024-01-01', 'x'])));
      expect(out.righe.accessi).toBe(6001);
      expect(Number((await db.knex('accessi').count('* as n'))[0].n)).toBe(6001);
    } finally {
      await db.close();
    }
  }, 60_000);
});
