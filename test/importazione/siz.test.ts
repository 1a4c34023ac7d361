import path from 'node:path';
import { describeDb, truncateAll } from '../support/db';
import { csv, tempFiles } from '../support/files';
import { CF, seedComuni } from '../support/fixtures';
import { importSiz } from '../../server/importazione/siz';
import { ImportRejected } from '../../server/importazione/problemi';
import { PercorsoNonValido } from '../../server/importazione/percorso';

const cartelle = csv([
  ['id_cartella', 'codice_istat', 'data_apertura', 'data_chiusura', 'area_utenza', 'tutela_minori', 'operatore_id'],
  ['C1', '98031', '2020-01-15', '', 'adulti', 'no', 'OP1'],
  ['C2', '098010', '15/03/2021', '31/12/2022', 'Minore', 'sì', 'OP2'],
]);
const membri = csv([
  ['id_cartella', 'codice_fiscale', 'ruolo', 'data_inizio', 'data_fine', 'data_nascita'],
  ['C1', CF.mario.toLowerCase().replace(/(.{4})/g, '$1 '), 'titolare', '', '', ''],
  ['C2', CF.luca, 'titolare', '', '', ''],
]);
const accessi = csv([
  ['id_accesso', 'codice_fiscale', 'codice_istat', 'data_accesso', 'motivo_accesso'],
  ['A1', CF.mario, '098031', '2024-02-01', 'CONTRIBUTO ECONOMICO'],
]);

async function counts(knex: import('knex').Knex) {
  const out: Record<string, number> = {};
  for (const t of ['cartelle', 'membri', 'accessi', 'prestazioni']) out[t] = Number((await knex(t).count('* as n'))[0].n);
  return out;
}

describeDb('import SIZ', (get) => {
  beforeEach(async () => {
    await truncateAll(get());
    await seedComuni(get());
  });

  test('loads a valid extract, normalizing CF, ISTAT codes, dates, booleans and areas', async () => {
    const dir = tempFiles({ 'cartelle.csv': cartelle, 'membri.csv': membri, 'accessi.csv': accessi, 'estrazione.txt': '2026-11-21\n' });
    const out = await importSiz(get(), dir);
    expect(out.esito).toBe('ok');
    expect(out.data_estrazione).toBe('2026-11-21');
    const c = await get().knex('cartelle').orderBy('id_cartella');
    expect(c.map((r) => [r.id_cartella, r.codice_istat, r.data_apertura, r.data_chiusura, r.area_utenza, r.tutela_minori])).toEqual([
      ['C1', '098031', '2020-01-15', null, 'adulti', false],
      ['C2', '098010', '2021-03-15', '2022-12-31', 'minori', true],
    ]);
    const m = await get().knex('membri').orderBy('riga');
    expect(m[0].codice_fiscale).toBe(CF.mario);
    expect(m[0].cf_valido).toBe(true);
    expect(m[0].data_nascita_cf).toBe('1980-01-01');
    expect(m[0].riga).toBe(2);
  });

  test('a malformed extract is rejected whole with file:line:column and changes nothing', async () => {
    const good = tempFiles({ 'cartelle.csv': cartelle, 'membri.csv': membri, 'accessi.csv': accessi, 'estrazione.txt': '2026-11-21' });
    await importSiz(get(), good);
    const before = await counts(get().knex);
    const bad = tempFiles({
      'cartelle.csv': csv([
        ['id_cartella', 'codice_istat', 'data_apertura', 'tutela_minori'],
        ['C9', '098031', '2020-13-01', 'forse'],
        ['C9', '098031', '2020-01-01', ''],
      ]),
      'membri.csv': csv([
        ['id_cartella', 'codice_fiscale', 'data_inizio'],
        ['C9', '', '2020-01-01'],
      ]),
      'accessi.csv': csv([
        ['id_accesso', 'codice_istat', 'data_accesso'],
        ['A9', '098031', 'ieri'],
      ]),
      'estrazione.txt': '2026-11-22',
    });
    let err: unknown;
    try {
      await importSiz(get(), bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImportRejected);
    const text = (err as ImportRejected).report();
    expect(text).toContain('cartelle.csv:2:3: data_apertura: data inesistente "2020-13-01"');
    expect(text).toContain('cartelle.csv:2:4: tutela_minori:');
    expect(text).toContain('membri.csv:2:2: codice_fiscale: campo obbligatorio vuoto');
    expect(text).toContain('accessi.csv:2:3: data_accesso: data non valida "ieri"');
    expect(await counts(get().knex)).toEqual(before);
    const log = await get().knex('importazioni').orderBy('id', 'desc').first();
    expect(log.esito).toBe('rifiutata');
  });

  test('duplicate ids inside one file are format errors with both lines', async () => {
    const dir = tempFiles({
      'cartelle.csv': csv([['id_cartella', 'data_apertura'], ['C1', '2020-01-01'], ['C2', '2020-01-01'], ['C1', '2021-01-01']]),
      'membri.csv': csv([['id_cartella', 'codice_fiscale'], ['C1', CF.mario], ['C1', CF.mario]]),
    });
    await expect(importSiz(get(), dir)).rejects.toThrow(ImportRejected);
    try {
      await importSiz(get(), dir);
    } catch (e) {
      const t = (e as ImportRejected).report();
      expect(t).toContain('cartelle.csv:4:1: id_cartella duplicato: già presente alla riga 2');
      expect(t).toContain('membri.csv:3:1: (id_cartella, codice_fiscale, data_inizio) duplicato: già presente alla riga 2');
    }
  });

  test('duplicates found only by the rebuilt primary key: lines reported, old rows and indexes kept', async () => {
    const indexes = async () =>
      (await get().knex.raw(`select indexname from pg_indexes where schemaname = current_schema() and tablename in ('accessi', 'cartelle') order by 1`)).rows.map((r: { indexname: string }) => r.indexname);
    const good = tempFiles({ 'cartelle.csv': cartelle, 'membri.csv': membri, 'accessi.csv': accessi, 'estrazione.txt': '2026-11-21' });
    const indexesBefore = await indexes();
    await importSiz(get(), good);
    // The swap drops and rebuilds the indexes: every one of them is back after a good import.
    expect(await indexes()).toEqual(indexesBefore);
    expect(indexesBefore).toEqual(expect.arrayContaining(['accessi_pkey', 'cartelle_pkey']));
    const before = await counts(get().knex);

    // membri.csv is clean, so nothing is found while reading: only the primary keys object.
    const dup = tempFiles({
      'cartelle.csv': csv([['id_cartella', 'data_apertura'], ['C7', '2020-01-01'], ['C7', '2021-01-01']]),
      'membri.csv': csv([['id_cartella', 'codice_fiscale'], ['C7', CF.anna]]),
      'accessi.csv': csv([['id_accesso', 'data_accesso'], ['A5', '2024-01-01'], ['A6', '2024-01-02'], ['A5', '2024-01-03'], ['A5', '2024-01-04']]),
      'estrazione.txt': '2026-11-22',
    });
    const err = await importSiz(get(), dup).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ImportRejected);
    const t = (err as ImportRejected).report();
    expect(t).toContain('cartelle.csv:3:1: id_cartella duplicato: già presente alla riga 2');
    expect(t).toContain('accessi.csv:4:1: id_accesso duplicato: già presente alla riga 2');
    expect(t).toContain('accessi.csv:5:1: id_accesso duplicato: già presente alla riga 2');
    expect(await counts(get().knex)).toEqual(before);
    expect(await indexes()).toEqual(indexesBefore);
    expect((await get().knex('accessi').select('id_accesso')).map((r) => r.id_accesso)).toEqual(['A1']);
  });

  test('the same files again report "nessuna modifica"; an absent accessi.csv keeps the accessi', async () => {
    const dir = tempFiles({ 'cartelle.csv': cartelle, 'membri.csv': membri, 'accessi.csv': accessi, 'estrazione.txt': '2026-11-21' });
    await importSiz(get(), dir);
    const before = await counts(get().knex);
    const again = await importSiz(get(), dir);
    expect(again.esito).toBe('nessuna_modifica');
    expect(again.messaggio).toMatch(/nessuna modifica/i);
    expect(await counts(get().knex)).toEqual(before);

    const noAccessi = tempFiles({ 'cartelle.csv': csv([['id_cartella', 'data_apertura'], ['C5', '2022-01-01']]), 'membri.csv': csv([['id_cartella', 'codice_fiscale'], ['C5', CF.anna]]), 'estrazione.txt': '2026-11-22' });
    const out = await importSiz(get(), noAccessi);
    expect(out.esito).toBe('ok');
    const after = await counts(get().knex);
    expect(after.accessi).toBe(before.accessi);
    expect(after.cartelle).toBe(1);
  });

  test('an extract without membri.csv is rejected', async () => {
    const dir = tempFiles({ 'cartelle.csv': cartelle });
    await expect(importSiz(get(), dir)).rejects.toThrow(/Importazione rifiutata/);
    // A folder that does not exist is a usage error, not a rejected extract (issue 14): nothing recorded.
    await expect(importSiz(get(), path.join(dir, 'nope'))).rejects.toThrow(PercorsoNonValido);
    expect(await get().knex('importazioni').where({ origine: path.join(dir, 'nope') })).toEqual([]);
  });
});
