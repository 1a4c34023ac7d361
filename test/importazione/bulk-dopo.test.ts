/**
 * BulkLoader's `dopo` (bulk.ts): the COPY waits for the work still under way on the same
 * connection (in importSiz, the index builds of the table read before), the rows written in the
 * meantime are kept, and that work's failure is the load's. Here the work creates the very table
 * the rows go to: a COPY that started before it ended would find no table.
 */
import { describeDb } from '../support/db';
import { BulkLoader } from '../../server/importazione/bulk';

const rows = (n: number) => Array.from({ length: n }, (_, i) => [i, `riga ${i}, "${i % 7}"`]);

describeDb('BulkLoader after the work under way', (get) => {
  for (const anticipo of [0, 1_000_000]) {
    test(`the COPY begins after that work, the rows all there in order (written ahead: ${anticipo} bytes)`, async () => {
      const trx = await get().knex.transaction();
      try {
        const dopo = (async () => {
          await new Promise((r) => setTimeout(r, 50));
          await trx.raw('create table bulk_dopo (n integer, testo text)');
        })();
        const loader = new BulkLoader(get(), trx, 'bulk_dopo', ['n', 'testo'], { dopo, anticipo });
        for (const r of rows(12_345)) await loader.add(r);
        expect(await loader.finish()).toBe(12_345);
        const back = (await trx.raw('select n, testo from bulk_dopo order by n')).rows as { n: number; testo: string }[];
        expect(back.map((r) => [r.n, r.testo])).toEqual(rows(12_345));
      } finally {
        await trx.rollback();
      }
    });
  }

  test("that work's failure is the load's, and nothing is written", async () => {
    const trx = await get().knex.transaction();
    try {
      await trx.raw('create table bulk_dopo (n integer, testo text)');
      const dopo = Promise.reject(new Error('indici non costruiti'));
      const loader = new BulkLoader(get(), trx, 'bulk_dopo', ['n', 'testo'], { dopo, anticipo: 100 });
      const out = (async () => {
        for (const r of rows(3000)) await loader.add(r);
        await loader.finish();
      })();
      await expect(out).rejects.toThrow('indici non costruiti');
      expect(Number((await trx.raw('select count(*) as c from bulk_dopo')).rows[0].c)).toBe(0);
    } finally {
      await trx.rollback();
    }
  });
});
