/**
 * An update (`aggiornamento`, server/fatti/notte.ts): imports and the chain after them are one
 * night for the pages. Between an import's commit and the chain's first job nothing else is
 * `in_corso`: there, without the update, the facts computed before are stale with nothing
 * running, so the pages computed their figures from the tables (fattiCorrenti null). Inside it
 * they keep the facts, provisional and dated. A failure closes it; a row of a dead process is
 * dropped at the next start; a row older than an hour does not count.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { describeDb, truncateAll } from '../support/db';
import { tempFiles } from '../support/files';
import { importSiz } from '../../server/importazione/siz';
import { calcolaFatti } from '../../server/fatti/calcola';
import { fattiCorrenti } from '../../server/fatti/leggi';
import { aggiornamento, chiudiAggiornamentiInterrotti, notteInCorso } from '../../server/fatti/notte';
import { normalizeName } from '../../server/importazione/valori';
import { COMUNI, estratto } from './support/ambito';

describeDb('aggiornamento: importazioni e catena, una sola notte', (get, engine) => {
  beforeAll(async () => {
    await truncateAll(get());
    await get().knex('comuni').insert(COMUNI.map(([codice_istat, nome, popolazione, distretto]) => ({ codice_istat, nome, nome_norm: normalizeName(nome), popolazione, distretto })));
    expect((await importSiz(get(), tempFiles(estratto(1)))).esito).toBe('ok');
    await calcolaFatti(get(), '2026-11-22', new Date('2026-11-22T02:00:00Z'));
  });

  const aperti = async () => Number((await get().knex('aggiornamenti').count('* as n'))[0].n);

  test("tra l'importazione e la catena: ancora notte, i fatti di prima (provvisori) invece delle tabelle", async () => {
    expect(await notteInCorso(get())).toBe(false);
    expect((await fattiCorrenti(get()))?.provvisori).toBe(false);
    const dentro = await aggiornamento(get(), 'test', async () => {
      expect(await notteInCorso(get())).toBe(true);
      expect((await importSiz(get(), tempFiles(estratto(2)))).esito).toBe('ok');
      // The import has committed and nothing is in_corso: the moment before the chain starts.
      expect(await get().knex('importazioni').where({ esito: 'in_corso' })).toEqual([]);
      expect(await get().knex('job_esecuzioni').where({ esito: 'in_corso' })).toEqual([]);
      return { notte: await notteInCorso(get()), fatti: await fattiCorrenti(get()) };
    });
    expect(dentro.notte).toBe(true);
    expect(dentro.fatti?.provvisori).toBe(true);
    // Over (here without its chain): the same stale facts are no longer read, as before.
    expect(await aperti()).toBe(0);
    expect(await notteInCorso(get())).toBe(false);
    expect(await fattiCorrenti(get())).toBeNull();
    await calcolaFatti(get(), '2026-11-22', new Date('2026-11-22T03:00:00Z'));
    expect((await fattiCorrenti(get()))?.provvisori).toBe(false);
  });

  test("un errore dentro l'aggiornamento lo chiude e arriva a chi chiama", async () => {
    await expect(
      aggiornamento(get(), 'test', async () => {
        expect(await aperti()).toBe(1);
        throw new Error('importazione rifiutata');
      }),
    ).rejects.toThrow('importazione rifiutata');
    expect(await aperti()).toBe(0);
    expect(await notteInCorso(get())).toBe(false);
  });

  test("una riga di più di un'ora fa non fa notte", async () => {
    await get().knex('aggiornamenti').insert({ origine: 'test', istanza: 'altro-host:1', avviato_il: new Date(Date.now() - 61 * 60_000) });
    expect(await notteInCorso(get())).toBe(false);
    await get().knex('aggiornamenti').insert({ origine: 'test', istanza: 'altro-host:1', avviato_il: new Date(Date.now() - 59 * 60_000) });
    expect(await notteInCorso(get())).toBe(true);
    await get().knex('aggiornamenti').del();
  });

  test("all'avvio: tolte le righe di un processo morto di questo host, non quelle dei vivi né di altri host", async () => {
    // A pid that was alive and is no more: a child that has exited.
    const morto = spawnSync(process.execPath, ['-e', '0']).pid;
    const host = os.hostname();
    const righe = [`${host}:${morto}`, `${host}:${process.ppid}`, `${host}:${process.pid}`, 'altro-host:12345'];
    await get().knex('aggiornamenti').insert(righe.map((istanza) => ({ origine: 'test', istanza, avviato_il: new Date() })));
    const tolte = await chiudiAggiornamentiInterrotti(get());
    const restano = (await get().knex('aggiornamenti').orderBy('id').pluck('istanza')) as string[];
    if (engine === 'pglite') {
      // The data folder is this process's alone: every other row is of a process that ended.
      expect(tolte).toBe(3);
      expect(restano).toEqual([`${host}:${process.pid}`]);
    } else {
      expect(tolte).toBe(1);
      expect(restano).toEqual(righe.slice(1));
    }
    await get().knex('aggiornamenti').del();
  });
});
