/**
 * Registry snapshot: a CF twice in the file is a format error at each repeated line, pointing to
 * the first one, and nothing is loaded; a valid file loads one snapshot per comune.
 */
import path from 'node:path';
import { describeDb, truncateAll } from '../support/db';
import { csv, tempFiles } from '../support/files';
import { CF, seedComuni } from '../support/fixtures';
import { fette, importAnagrafe } from '../../server/importazione/anagrafe';
import { ImportRejected } from '../../server/importazione/problemi';

const HEADER = ['codice_fiscale', 'cognome', 'nome', 'sesso', 'data_nascita', 'codice_istat', 'indirizzo', 'id_famiglia'];

describeDb('import anagrafe', (get) => {
  beforeEach(async () => {
    await truncateAll(get());
    await seedComuni(get());
  });

  test('a CF repeated in the file (also across comuni) is reported at every repetition; nothing is loaded', async () => {
    const file = path.join(
      tempFiles({
        'anagrafe.csv': csv([
          HEADER,
          [CF.mario, 'ROSSI', 'MARIO', 'M', '1980-01-01', '098031', 'Via Roma 1', 'F1'],
          [CF.luca, 'BIANCHI', 'LUCA', 'M', '1990-05-05', '098031', 'Via Roma 2', 'F2'],
          [CF.mario, 'ROSSI', 'MARIO', 'M', '1980-01-01', '098010', 'Via Po 1', 'F3'],
          [CF.luca, 'BIANCHI', 'LUCA', 'M', '1990-05-05', '098031', 'Via Roma 2', 'F2'],
          [CF.mario, 'ROSSI', 'MARIO', 'M', '1980-01-01', '098031', 'Via Roma 1', 'F1'],
        ]),
      }),
      'anagrafe.csv',
    );
    const err = await importAnagrafe(get(), file, { data: '2026-11-01' }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportRejected);
    expect((err as ImportRejected).problemLines()).toEqual([
      'anagrafe.csv:4:1: codice_fiscale duplicato: già presente alla riga 2',
      'anagrafe.csv:6:1: codice_fiscale duplicato: già presente alla riga 2',
      'anagrafe.csv:5:1: codice_fiscale duplicato: già presente alla riga 3',
    ]);
    expect(Number((await get().knex('anagrafe').count('* as n'))[0].n)).toBe(0);
    expect(Number((await get().knex('anagrafe_snapshot').count('* as n'))[0].n)).toBe(0);
  });

  test('a valid file: one snapshot per comune with its residents', async () => {
    const file = path.join(
      tempFiles({
        'anagrafe.csv': csv([
          HEADER,
          [CF.mario, 'ROSSI', 'MARIO', 'M', '1980-01-01', '098031', 'Via Roma 1', 'F1'],
          [CF.luca, 'BIANCHI', 'LUCA', 'M', '1990-05-05', '98010', 'Via Po 2', 'F2'],
        ]),
      }),
      'anagrafe.csv',
    );
    const out = await importAnagrafe(get(), file, { data: '2026-11-01' });
    expect(out.esito).toBe('ok');
    const rows = await get().knex('anagrafe as a').join('anagrafe_snapshot as s', 's.id', 'a.snapshot_id').orderBy('a.riga').select('s.codice_istat', 'a.codice_fiscale', 'a.riga');
    expect(rows).toEqual([
      { codice_istat: '098031', codice_fiscale: CF.mario, riga: 2 },
      { codice_istat: '098010', codice_fiscale: CF.luca, riga: 3 },
    ]);
  });

  test('in slices of lines (PGlite does them a turn of the event loop apart): every resident once, as in one statement', async () => {
    const file = path.join(
      tempFiles({
        'anagrafe.csv': csv([
          HEADER,
          [CF.mario, 'ROSSI', 'MARIO', 'M', '1980-01-01', '098031', 'Via Roma 1', 'F1'],
          [CF.luca, 'BIANCHI', 'LUCA', 'M', '1990-05-05', '98010', 'Via Po 2', 'F2'],
          [CF.anna, 'BIANCHI', 'ANNA', 'F', '1985-05-20', '098031', 'Via Roma 3', 'F3'],
        ]),
      }),
      'anagrafe.csv',
    );
    // Lines 2..4 in slices of 2: [2, 3] and [4, 4].
    const out = await importAnagrafe(get(), file, { data: '2026-11-01', righePerIstruzione: 2 });
    expect(out.esito).toBe('ok');
    const rows = await get().knex('anagrafe as a').join('anagrafe_snapshot as s', 's.id', 'a.snapshot_id').orderBy('a.riga').select('s.codice_istat', 'a.codice_fiscale', 'a.riga');
    expect(rows).toEqual([
      { codice_istat: '098031', codice_fiscale: CF.mario, riga: 2 },
      { codice_istat: '098010', codice_fiscale: CF.luca, riga: 3 },
      { codice_istat: '098031', codice_fiscale: CF.anna, riga: 4 },
    ]);
    expect((await get().knex('anagrafe_snapshot').orderBy('codice_istat').select('codice_istat', 'righe')).map((r) => [r.codice_istat, Number(r.righe)])).toEqual([
      ['098010', 1],
      ['098031', 2],
    ]);
  });

  test('the CF index of the registry is a hash index; a lookup by CF (through an index) finds the resident in both snapshots', async () => {
    // A b-tree cost the registry import about a third of PostgreSQL's time to maintain
    // (migration 20261209530000_anagrafe_cf_hash, docs/bench.md).
    const defs = (await get().knex.raw(`select indexdef from pg_indexes where schemaname = current_schema() and indexname = 'anagrafe_codice_fiscale_idx'`)).rows as { indexdef: string }[];
    expect(defs.map((d) => d.indexdef.replace(/ ON \S+ /, ' ON anagrafe '))).toEqual(['CREATE INDEX anagrafe_codice_fiscale_idx ON anagrafe USING hash (codice_fiscale)']);
    const riga = (istat: string, indirizzo: string) => [CF.mario, 'ROSSI', 'MARIO', 'M', '1980-01-01', istat, indirizzo, 'F1'];
    await importAnagrafe(get(), path.join(tempFiles({ 'anagrafe.csv': csv([HEADER, riga('098031', 'Via Roma 1')]) }), 'anagrafe.csv'), { data: '2026-10-01' });
    await importAnagrafe(get(), path.join(tempFiles({ 'anagrafe.csv': csv([HEADER, riga('098031', 'Via Po 2')]) }), 'anagrafe.csv'), { data: '2026-11-01' });
    const trovati = await get().knex.transaction(async (trx) => {
      await trx.raw('set local enable_seqscan = off');
      return (await trx.raw(`select indirizzo from anagrafe where codice_fiscale = ? order by indirizzo`, [CF.mario])).rows;
    });
    expect(trovati).toEqual([{ indirizzo: 'Via Po 2' }, { indirizzo: 'Via Roma 1' }]);
  });
});

describe('fette (slices of lines for the INSERT of the residents)', () => {
  test('cover min..max once, the last one shorter; an empty file has none', () => {
    expect(fette(null, null, 5)).toEqual([]);
    expect(fette(2, 2, 5)).toEqual([[2, 2]]);
    expect(fette(2, 6, 5)).toEqual([[2, 6]]);
    expect(fette(2, 7, 5)).toEqual([[2, 6], [7, 7]]);
    expect(fette(2, 11, 5)).toEqual([[2, 6], [7, 11]]);
    expect(fette(2, 12, 5)).toEqual([[2, 6], [7, 11], [12, 12]]);
    expect(fette(2, 1_000_001, Infinity)).toEqual([[2, 1_000_001]]);
    expect(fette(3, 5, 1)).toEqual([[3, 3], [4, 4], [5, 5]]);
  });
});
