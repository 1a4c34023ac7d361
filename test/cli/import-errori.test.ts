/**
 * `cruscotto import ...` on files that are not usable: a clear message on stderr and exit 1;
 * on a path that is not there (a typo): exit 2, and no row in `importazioni`.
 * Runs the real command in-process on an embedded database in a temporary DATA_DIR.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli';
import { openDb } from '../../server/db';
import { csv, tempFiles } from '../support/files';
import { installaSpia, leggiSpia, togliSpia } from '../support/notte-spia';

describe('cruscotto import: unusable files [pglite]', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-cli-'));
  const files = tempFiles({
    'vuoto.csv': '',
    'solo-intestazione.csv': 'codice_istat;nome;popolazione;distretto\n',
    'binario.csv': Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0xff, 0xfe]),
    'latin1.csv': Buffer.concat([Buffer.from('codice_istat;nome;popolazione;distretto\n098031;Lodi;45000;Lodi\n098047;Sant'), Buffer.from([0x92]), Buffer.from('Angelo Lodigiano;13000;Sant Angelo\n')]),
    'buono.csv': csv([['codice_istat', 'nome', 'popolazione', 'distretto'], ['98031', 'Lodi', '45000', 'Lodi']]),
  });
  const prev = process.env.DATA_DIR;
  beforeAll(() => {
    process.env.DATA_DIR = dataDir;
  });
  afterAll(() => {
    process.env.DATA_DIR = prev;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a path that does not exist, or of the wrong kind: a usage error (exit 2), never recorded as an import', async () => {
    const r = await runCli(['import', 'comuni', path.join(files, 'manca.csv')]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`Errore: ${path.join(files, 'manca.csv')}: il file non esiste. Nessun dato è stato modificato e nessuna importazione è stata registrata.\n`);
    const siz = await runCli(['import', 'siz', '/percorso/inesistente']);
    expect(siz.code).toBe(2);
    expect(siz.err).toBe('Errore: /percorso/inesistente: la cartella non esiste. Nessun dato è stato modificato e nessuna importazione è stata registrata.\n');
    const file = await runCli(['import', 'siz', path.join(files, 'buono.csv')]);
    expect(file.code).toBe(2);
    expect(file.err).toContain("buono.csv: non è una cartella (serve la cartella dell'estrazione)");
    expect((await runCli(['import', 'censimento', files])).err).toContain(`${files}: non è un file`);
    const db = await openDb({ pgliteDir: path.join(dataDir, 'db') });
    try {
      // Only the nomenclature that the first start of a new database loads from fixtures/.
      expect(await db.knex('importazioni').pluck('tipo')).toEqual(['nomenclatore']);
    } finally {
      await db.close();
    }
  }, 60_000);

  test('an empty file', async () => {
    const r = await runCli(['import', 'comuni', path.join(files, 'vuoto.csv')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('vuoto.csv: il file è vuoto');
  });

  test('a header-only file', async () => {
    const r = await runCli(['import', 'comuni', path.join(files, 'solo-intestazione.csv')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("solo-intestazione.csv:1:0: il file contiene solo l'intestazione, nessuna riga di dati");
  });

  test('a binary file', async () => {
    const r = await runCli(['import', 'comuni', path.join(files, 'binario.csv')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('binario.csv:1:1: il file è binario, non un CSV di testo');
  });

  test('a file that is not UTF-8, with the line and column of the first bad byte', async () => {
    const r = await runCli(['import', 'comuni', path.join(files, 'latin1.csv')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('latin1.csv:3:2: il file non è in codifica UTF-8');
  });

  test('wrong usage exits 2; a valid file exits 0 and the rejected ones changed nothing', async () => {
    expect((await runCli(['import', 'comuni'])).code).toBe(2);
    expect((await runCli(['import', 'comuni', 'a.csv', '--bogus', 'x'])).code).toBe(2);
    expect((await runCli(['import', 'anagrafe', 'a.csv', '--data', 'ieri'])).code).toBe(2);
    let db = await openDb({ pgliteDir: path.join(dataDir, 'db') });
    await installaSpia(db);
    await db.close();
    const ok = await runCli(['import', 'comuni', path.join(files, 'buono.csv')]);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('Anagrafica comuni importata: 1 comuni');
    // The import and the jobs after it ran as one update (one night for the pages, with no
    // moment between them when a page would take the night for over), closed at the end.
    db = await openDb({ pgliteDir: path.join(dataDir, 'db') });
    try {
      const passi = await leggiSpia(db);
      expect(passi.map((p) => p.cosa)).toEqual(['import comuni', 'job riconciliazione', 'job fatti']);
      expect(passi.every((p) => p.aggiornamenti === 1)).toBe(true);
      expect(await db.knex('aggiornamenti').count('* as n')).toEqual([{ n: 0 }]);
      await togliSpia(db);
    } finally {
      await db.close();
    }
  });
});
