/**
 * Two SIZ extracts imported at the same moment, while pages read the tables: each import ends
 * well, the tables left are one extract's, whole, and no reader fails or sees a mix. Since
 * 2026-12-04 an import loads each file into a new table that takes the old one's place (DROP and
 * renames, server/importazione/sostituzione.ts): a reader waiting on the old table's lock must
 * find the new one by its name, not an error.
 */
import { describeDb, truncateAll } from '../support/db';
import { csv, tempFiles } from '../support/files';
import { CF, seedComuni } from '../support/fixtures';
import { importSiz } from '../../server/importazione/siz';

const RIGHE = 20_000;

function estratto(lettera: string, cartella = lettera): string {
  return tempFiles({
    'cartelle.csv': csv([
      ['id_cartella', 'codice_istat', 'data_apertura', 'data_chiusura', 'area_utenza', 'tutela_minori', 'operatore_id'],
      [`${cartella}C1`, '098031', '2020-01-15', '', 'adulti', 'no', 'OP1'],
    ]),
    'membri.csv': csv([
      ['id_cartella', 'codice_fiscale', 'ruolo', 'data_inizio', 'data_fine', 'data_nascita'],
      [`${cartella}C1`, CF.mario, 'titolare', '', '', ''],
    ]),
    'accessi.csv': csv([
      ['id_accesso', 'codice_fiscale', 'codice_istat', 'data_accesso', 'motivo_accesso'],
      ...Array.from({ length: RIGHE }, (_, i) => [`${lettera}${i}`, CF.mario, '098031', '2024-02-01', 'CONTRIBUTO ECONOMICO']),
    ]),
    'estrazione.txt': '2026-11-21\n',
  });
}

describeDb('import SIZ concorrenti', (get, engine) => {
  beforeEach(async () => {
    await truncateAll(get());
    await seedComuni(get());
  });

  test('due estratti insieme, con letture in corso: entrambi riusciti, resta un estratto intero, nessuna lettura fallita', async () => {
    // Loaded before: extract X. A changes every file; B keeps X's cartelle and membri (unchanged
    // for B when it starts) and changes accessi: B after A must load its cartelle again.
    expect((await importSiz(get(), estratto('X'))).esito).toBe('ok');
    const [a, b] = [estratto('A'), estratto('B', 'X')];
    let finito = false;
    const letture: string[] = [];
    const lettore = (async () => {
      while (!finito) {
        const r = (await get().knex.raw(`select (select count(*)::int from accessi) as n, (select string_agg(distinct left(id_accesso, 1), '') from accessi) as a, (select string_agg(id_cartella, '') from cartelle) as c`)).rows[0] as { n: number; a: string; c: string };
        letture.push(`${r.n}/${r.a}/${r.c}`);
        await new Promise((ok) => setImmediate(ok));
      }
    })();
    try {
      const esiti = await Promise.all([importSiz(get(), a), importSiz(get(), b)]);
      expect(esiti.map((e) => e.esito)).toEqual(['ok', 'ok']);
    } finally {
      finito = true;
      await lettore;
    }
    const fine = (await get().knex.raw(`select (select string_agg(distinct left(id_accesso, 1), '') from accessi) as a, (select string_agg(id_cartella, '') from cartelle) as c, (select string_agg(id_cartella, '') from membri) as m`)).rows[0];
    // A whole, or B whole: never A's cartelle with B's accessi.
    expect([{ a: 'A', c: 'AC1', m: 'AC1' }, { a: 'B', c: 'XC1', m: 'XC1' }]).toContainEqual(fine);
    expect(Number((await get().knex('accessi').count('* as n'))[0].n)).toBe(RIGHE);
    // Every reading saw one whole extract: X, A or B.
    expect(letture.length).toBeGreaterThan(0);
    for (const l of letture) expect([`${RIGHE}/X/XC1`, `${RIGHE}/A/AC1`, `${RIGHE}/B/XC1`]).toContain(l);
  });

  // PGlite has one connection: no page reads while an import holds it.
  if (engine === 'postgres') {
    test('una pagina che legge accessi e poi cartelle mentre lo scambio le blocca: nessun deadlock, entrambi riescono', async () => {
      expect((await importSiz(get(), estratto('X'))).esito).toBe('ok');
      const lettura = await get().knex.transaction();
      try {
        // The page has read accessi (its lock held until the end of its transaction)...
        expect((await lettura.raw('select count(*)::int as n from accessi')).rows[0].n).toBe(RIGHE);
        const importazione = importSiz(get(), estratto('A'));
        // ...the import's swap holds cartelle's lock and waits for accessi's...
        const attesa = `select count(*)::int as n from pg_locks l join pg_class c on c.oid = l.relation
          where not l.granted and c.relname = 'accessi' and c.relnamespace = current_schema()::regnamespace`;
        for (let i = 0; (await get().knex.raw(attesa)).rows[0].n === 0; i++) {
          if (i > 6000) throw new Error("l'importazione non ha mai atteso accessi");
          await new Promise((ok) => setTimeout(ok, 5));
        }
        // ...and the page reads cartelle: the two waited for each other until PostgreSQL ended one
        // («deadlock detected»); now the import lets go of its locks and asks again.
        expect((await lettura.raw('select string_agg(id_cartella, \'\') as c from cartelle')).rows[0].c).toBe('XC1');
        await lettura.commit();
        expect((await importazione).esito).toBe('ok');
        expect((await get().knex.raw('select string_agg(id_cartella, \'\') as c from cartelle')).rows[0].c).toBe('AC1');
      } finally {
        if (!lettura.isCompleted()) await lettura.rollback().catch(() => undefined);
      }
    });
  }
});
