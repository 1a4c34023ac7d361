/**
 * importSiz reads the largest file first and builds each table's indexes while it reads the next
 * (siz.ts, `lettura` and `inCorso`): the report must be the one the order of TABLES gives, the
 * same as when the files were read in that order and the indexes built at the end. Here
 * accessi.csv is the largest file and cartelle.csv the smallest, the reverse of that order.
 */
import { describeDb, truncateAll } from '../support/db';
import { csv, tempFiles } from '../support/files';
import { CF, seedComuni } from '../support/fixtures';
import { importSiz } from '../../server/importazione/siz';
import { ImportRejected } from '../../server/importazione/problemi';

/** Many good accessi (the largest file), then `extra` rows. */
function accessi(extra: string[][], colonne: string[] = ['id_accesso', 'codice_fiscale', 'data_accesso']): string {
  const rows = Array.from({ length: 200 }, (_, i) => [`A${i}`, CF.mario, '2024-02-01', ...colonne.slice(3).map(() => '')]);
  return csv([colonne, ...rows, ...extra]);
}

async function rifiuto(p: Promise<unknown>): Promise<ImportRejected> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ImportRejected);
  return err as ImportRejected;
}

describeDb('import SIZ: the report in the order of the tables, whatever the reading order', (get) => {
  beforeEach(async () => {
    await truncateAll(get());
    await seedComuni(get());
  });

  test('format problems, duplicates of every kind and warnings: the whole report, in order', async () => {
    const dir = tempFiles({
      'cartelle.csv': csv([['id_cartella', 'data_apertura', 'colore'], ['C1', 'ieri', 'blu'], ['C2', '2020-01-01', 'rosso']]),
      'membri.csv': csv([['id_cartella', 'codice_fiscale'], ['C1', CF.mario], ['C1', CF.mario], ['C2', CF.luca]]),
      'accessi.csv': accessi([['A3', CF.luca, '2024-02-02', 'x'], ['A7', CF.anna, '2024-02-03', 'y']], ['id_accesso', 'codice_fiscale', 'data_accesso', 'nota']),
      'estrazione.txt': '2026-11-22',
    });
    const err = await rifiuto(importSiz(get(), dir));
    expect(err.problemLines()).toEqual([
      'cartelle.csv:2:2: data_apertura: data non valida "ieri" (attesa AAAA-MM-GG oppure GG/MM/AAAA)',
      'membri.csv:3:1: (id_cartella, codice_fiscale, data_inizio) duplicato: già presente alla riga 2',
      'accessi.csv:202:1: id_accesso duplicato: già presente alla riga 5',
      'accessi.csv:203:1: id_accesso duplicato: già presente alla riga 9',
    ]);
    expect(err.warnings).toEqual(['cartelle.csv: colonne sconosciute ignorate: colore', 'accessi.csv: colonne sconosciute ignorate: nota']);
    expect(Number((await get().knex('accessi').count('* as n'))[0].n)).toBe(0);
  });

  test('duplicates found only by the primary keys built while reading: in the order of the tables', async () => {
    const dir = tempFiles({
      'cartelle.csv': csv([['id_cartella', 'data_apertura'], ['C1', '2020-01-01'], ['C1', '2021-01-01']]),
      'membri.csv': csv([['id_cartella', 'codice_fiscale'], ['C1', CF.mario]]),
      'accessi.csv': accessi([['A9', CF.luca, '2024-02-02']]),
      'estrazione.txt': '2026-11-22',
    });
    const err = await rifiuto(importSiz(get(), dir));
    expect(err.problemLines()).toEqual(['cartelle.csv:3:1: id_cartella duplicato: già presente alla riga 2', 'accessi.csv:202:1: id_accesso duplicato: già presente alla riga 11']);
  });

  test('a good extract read in that order: every table loaded and its rows counted in the order of the tables', async () => {
    const dir = tempFiles({
      'cartelle.csv': csv([['id_cartella', 'data_apertura'], ['C1', '2020-01-01']]),
      'membri.csv': csv([['id_cartella', 'codice_fiscale'], ['C1', CF.mario], ['C1', CF.luca]]),
      'accessi.csv': accessi([]),
      'prestazioni.csv': csv([['id_prestazione', 'id_cartella', 'codice_prestazione', 'data_erogazione', 'costo'], ['P1', 'C1', 'A1.16', '2024-03-01', '10,50']]),
      'estrazione.txt': '2026-11-22',
    });
    const out = await importSiz(get(), dir);
    expect(out.messaggio).toBe('Estrazione SIZ del 2026-11-22 importata: cartelle 1, membri 2, prestazioni 1, accessi 200.');
    expect(await get().knex('prestazioni_codici').select('id_cartella', 'codice_prestazione')).toEqual([{ id_cartella: 'C1', codice_prestazione: 'A1.16' }]);
    expect(Number((await get().knex('accessi').count('* as n'))[0].n)).toBe(200);
  });
});
