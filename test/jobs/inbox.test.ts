/**
 * The inbox job: complete file sets are imported oldest first and archived, rejected ones go to
 * scartati/ with ERRORI.txt, half-copied ones are left alone; then riconciliazione and qualita
 * follow through runJob.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeDb, truncateAll } from '../support/db';
import { csv } from '../support/files';
import { CF, seedComuni } from '../support/fixtures';
import { runJob } from '../../jobs';
import { inboxJob } from '../../jobs/inbox';
import { JobFallito, type JobDef } from '../../jobs/tipi';
import { testContext } from '../auth/helpers';
import { withOnlyJobs } from './support/jobs';

const CARTELLE = csv([
  ['id_cartella', 'codice_istat', 'data_apertura', 'data_chiusura', 'area_utenza', 'tutela_minori', 'operatore_id'],
  ['C1', '098031', '2020-01-15', '', 'adulti', 'no', 'OP01'],
  ['C2', '098010', '2021-03-15', '', 'minori', 'sì', 'OP01'],
]);
const MEMBRI = csv([
  ['id_cartella', 'codice_fiscale', 'ruolo'],
  ['C1', CF.mario, 'titolare'],
  ['C2', CF.luca, 'titolare'],
]);
const CARTELLE_ROTTE = csv([
  ['id_cartella', 'codice_istat', 'data_apertura'],
  ['C7', '098031', '2020-13-01'],
  ['C8', '098031', '31/02/2021'],
]);

/** Writes files under the data dir's inbox and sets their modification time (minutes after a base). */
function drop(root: string, files: Record<string, string>, minute: number): void {
  const t = new Date(Date.UTC(2026, 10, 21, 20, minute));
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(root, 'inbox', name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    fs.utimesSync(p, t, t);
  }
  for (const name of Object.keys(files)) {
    const parts = name.split('/');
    if (parts.length > 2) fs.utimesSync(path.join(root, 'inbox', parts[0], parts[1]), t, t);
  }
}

const ls = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

describeDb('job inbox', (get) => {
  let ctx: ReturnType<typeof testContext>;
  let root: string;
  beforeEach(async () => {
    await truncateAll(get());
    await seedComuni(get());
    ctx = testContext(get());
    root = ctx.dataDir;
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('valid, malformed and half-copied extracts: archived and imported / scartati with ERRORI.txt / untouched; then riconciliazione and qualita', async () => {
    drop(root, { 'siz/estrazione-buona/cartelle.csv': CARTELLE, 'siz/estrazione-buona/membri.csv': MEMBRI, 'siz/estrazione-buona/estrazione.txt': '2026-11-21\n' }, 1);
    drop(root, { 'siz/estrazione-rotta/cartelle.csv': CARTELLE_ROTTE, 'siz/estrazione-rotta/membri.csv': MEMBRI, 'siz/estrazione-rotta/estrazione.txt': '2026-11-21\n' }, 2);
    drop(root, { 'siz/estrazione-a-meta/cartelle.csv': CARTELLE, 'siz/estrazione-a-meta/membri.csv': MEMBRI }, 3);

    const before = new Date();
    // A set not imported makes the run fail, with its counts and the reason: the office must see it.
    const failed = await runJob(ctx, 'inbox', { oggi: '2026-11-22', origine: 'pianificatore' }).then(() => null, (e: unknown) => e);
    expect(failed).toBeInstanceOf(JobFallito);
    expect((failed as JobFallito).message).toMatch(/Non riuscito: siz\/estrazione-rotta: scartato \(2 problemi, vedi ERRORI\.txt\)/);
    const out = (failed as JobFallito).risultato;
    expect(out.conteggi).toMatchObject({ importati: 1, scartati: 1, in_attesa: 1, errori: 0, catena: 3 });

    // 1. imported and archived
    expect((await get().knex('cartelle').orderBy('id_cartella')).map((c) => c.id_cartella)).toEqual(['C1', 'C2']);
    const stamp = '20261122T090000Z'; // the injected clock's now (2026-11-22T09:00:00Z)
    expect(ls(path.join(root, 'inbox', 'archivio', 'siz'))).toEqual([`${stamp}-estrazione-buona`]);
    expect(ls(path.join(root, 'inbox', 'archivio', 'siz', `${stamp}-estrazione-buona`))).toEqual(['cartelle.csv', 'estrazione.txt', 'membri.csv']);
    const imp = await get().knex('importazioni').orderBy('id');
    expect(imp.map((i) => [i.tipo, i.esito, i.utente])).toEqual([['siz', 'ok', 'inbox'], ['siz', 'rifiutata', 'inbox']]);

    // 2. rejected, with the file:line:column list beside it
    const rotta = path.join(root, 'inbox', 'scartati', 'siz', `${stamp}-estrazione-rotta`);
    expect(ls(rotta)).toEqual(['ERRORI.txt', 'cartelle.csv', 'estrazione.txt', 'membri.csv']);
    const errori = fs.readFileSync(path.join(rotta, 'ERRORI.txt'), 'utf8');
    expect(errori).toContain('cartelle.csv:2:3: data_apertura: data inesistente "2020-13-01"');
    expect(errori).toMatch(/^cartelle\.csv:3:3: data_apertura: /m);
    expect(errori).toMatch(/Importazione rifiutata: 2 problemi/);
    expect((await get().knex('audit').where({ azione: 'importazione_rifiutata' })).map((a) => a.dettagli.origine)).toEqual(['siz/estrazione-rotta']);

    // 3. half-copied: not read, not moved
    expect(ls(path.join(root, 'inbox', 'siz'))).toEqual(['estrazione-a-meta']);
    expect(ls(path.join(root, 'inbox', 'siz', 'estrazione-a-meta'))).toEqual(['cartelle.csv', 'membri.csv']);
    expect(out.messaggio).toMatch(/siz\/estrazione-a-meta: in attesa di estrazione\.txt/);

    // 4. the reconciliation and then the quality checks followed, through runJob
    const runs = await get().knex('job_esecuzioni').orderBy('id').select('job', 'esito', 'origine', 'avviato_il');
    expect(runs.map((r) => [r.job, r.esito, r.origine])).toEqual([
      ['inbox', 'fallito', 'pianificatore'],
      ['riconciliazione', 'ok', 'inbox'],
      ['qualita', 'ok', 'inbox'],
      ['fatti', 'ok', 'inbox'], // the pages' precomputed figures, last after a SIZ import (jobs/catena.ts)
    ]);
    expect(runs[1].avviato_il.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(await get().knex('riconciliazioni').count('* as n')).toEqual([{ n: 1 }]);

    // Nothing new: nothing imported, nothing chained.
    const again = await runJob(ctx, 'inbox');
    expect(again.conteggi).toMatchObject({ importati: 0, scartati: 0, in_attesa: 1, catena: 0 });
    expect(await get().knex('job_esecuzioni').whereNot({ job: 'inbox' }).count('* as n')).toEqual([{ n: 3 }]);

    // The copy completes: the next run takes it (same files: no change, archived all the same).
    fs.writeFileSync(path.join(root, 'inbox', 'siz', 'estrazione-a-meta', 'estrazione.txt'), '2026-11-21\n');
    const third = await runJob(ctx, 'inbox');
    expect(third.conteggi).toMatchObject({ importati: 0, invariati: 1, in_attesa: 0 });
    expect(ls(path.join(root, 'inbox', 'siz'))).toEqual([]);
    expect(ls(path.join(root, 'inbox', 'archivio', 'siz'))).toEqual([`${stamp}-estrazione-a-meta`, `${stamp}-estrazione-buona`]);
  });

  test('every kind, oldest first; files being copied and misplaced files are left alone', async () => {
    drop(root, { 'scadenze/piano.csv': csv([['codice_istat', 'tipo', 'data_scadenza'], ['098031', 'caricamento', '2027-03-31']]) }, 5);
    drop(root, { 'censimento/censimento-2026.csv': csv([['codice_istat', 'data_riferimento', 'cartelle_attive'], ['098031', '2026-06-30', '10']]) }, 1);
    drop(root, { 'anagrafe/lodi/anagrafe.csv': csv([['codice_fiscale', 'codice_istat', 'id_famiglia'], [CF.mario, '098031', 'F1']]), 'anagrafe/lodi/estrazione.txt': '2026-11-20' }, 2);
    drop(root, { 'anagrafe/brembio.csv': csv([['codice_fiscale', 'codice_istat', 'id_famiglia'], [CF.anna, '098010', 'F2']]) }, 3);
    drop(root, { 'censimento/in-arrivo.csv.part': 'codice_istat;data' }, 0);
    drop(root, { 'siz/sbagliato.csv': 'x' }, 0);
    drop(root, { 'scadenze/.nascosto.csv': 'x' }, 0);
    const out = await withOnlyJobs([inboxJob], () => runJob(ctx, 'inbox', { oggi: '2026-11-22' }));
    expect(out.conteggi).toMatchObject({ importati: 4, scartati: 0, catena: 0 });
    expect((await get().knex('importazioni').orderBy('id')).map((i) => [i.tipo, i.esito])).toEqual([
      ['censimento', 'ok'],
      ['anagrafe', 'ok'],
      ['anagrafe', 'ok'],
      ['scadenze', 'ok'],
    ]);
    const snapshots = await get().knex('anagrafe_snapshot').orderBy('codice_istat').select('codice_istat', 'data_snapshot');
    expect(snapshots).toEqual([
      { codice_istat: '098010', data_snapshot: '2026-11-22' }, // single file: today
      { codice_istat: '098031', data_snapshot: '2026-11-20' }, // folder: its estrazione.txt
    ]);
    expect(ls(path.join(root, 'inbox', 'censimento'))).toEqual(['in-arrivo.csv.part']);
    expect(ls(path.join(root, 'inbox', 'siz'))).toEqual(['sbagliato.csv']);
    expect(ls(path.join(root, 'inbox', 'scadenze'))).toEqual(['.nascosto.csv']);
    expect(ls(path.join(root, 'inbox', 'anagrafe'))).toEqual([]);
    expect(ls(path.join(root, 'inbox', 'archivio'))).toEqual(['anagrafe', 'censimento', 'scadenze']);
    expect(out.messaggio).toMatch(/siz\/sbagliato\.csv: ignorato/);
  });

  test('a rejected single file goes to its own folder with ERRORI.txt', async () => {
    drop(root, { 'scadenze/piano.csv': csv([['codice_istat', 'tipo', 'data_scadenza'], ['098031', 'vacanza', '2027-03-31']]) }, 1);
    await expect(withOnlyJobs([inboxJob], () => runJob(ctx, 'inbox'))).rejects.toThrow(/scadenze\/piano\.csv: scartato/);
    const dir = path.join(root, 'inbox', 'scartati', 'scadenze', '20261122T090000Z-piano.csv');
    expect(ls(dir)).toEqual(['ERRORI.txt', 'piano.csv']);
    expect(fs.readFileSync(path.join(dir, 'ERRORI.txt'), 'utf8')).toMatch(/^piano\.csv:2:2: .*tipo non valido "vacanza"/m);
  });

  test('a technical failure leaves the set in place for the next run and the run ends failed', async () => {
    drop(root, { 'siz/strana/membri.csv': MEMBRI, 'siz/strana/estrazione.txt': '2026-11-21' }, 1);
    fs.mkdirSync(path.join(root, 'inbox', 'siz', 'strana', 'cartelle.csv')); // a folder where a file should be
    await expect(withOnlyJobs([inboxJob], () => runJob(ctx, 'inbox'))).rejects.toThrow(/siz\/strana: errore tecnico/);
    expect(ls(path.join(root, 'inbox', 'siz'))).toEqual(['strana']);
    expect((await get().knex('job_esecuzioni').where({ job: 'inbox' }).first()).esito).toBe('fallito');
  });

  test('chaining: riconciliazione then qualita, only those registered, each once after all the imports of a run', async () => {
    const order: string[] = [];
    const fake = (name: string): JobDef => ({ name, run: async () => (order.push(name), { messaggio: `${name} finto` }) });
    const extract = (n: number) => drop(root, { [`siz/e${n}/cartelle.csv`]: CARTELLE, [`siz/e${n}/membri.csv`]: MEMBRI, [`siz/e${n}/estrazione.txt`]: `2026-11-2${n}` }, n);

    extract(1);
    await withOnlyJobs([inboxJob, fake('qualita'), fake('riconciliazione')], () => runJob(ctx, 'inbox'));
    expect(order).toEqual(['riconciliazione', 'qualita']);

    order.length = 0;
    await truncateAll(get());
    await seedComuni(get());
    extract(2);
    await withOnlyJobs([inboxJob, fake('qualita')], () => runJob(ctx, 'inbox'));
    expect(order).toEqual(['qualita']);

    // Not again after one night's imports: each due job once, in chain order (jobs/catena.ts).
    order.length = 0;
    await truncateAll(get());
    await seedComuni(get());
    extract(3);
    drop(root, { 'censimento/censimento.csv': csv([['codice_istat', 'data_riferimento', 'cartelle_attive'], ['098031', '2026-06-30', '10']]) }, 4);
    drop(root, { 'anagrafe/lodi.csv': csv([['codice_fiscale', 'codice_istat', 'id_famiglia'], [CF.mario, '098031', 'F1']]) }, 5);
    const out = await withOnlyJobs([inboxJob, fake('riconciliazione'), fake('qualita'), fake('variazioni')], () => runJob(ctx, 'inbox'));
    expect(out.conteggi).toMatchObject({ importati: 3, catena: 3 });
    expect(order).toEqual(['riconciliazione', 'qualita', 'variazioni']);
  });

  test('one night with SIZ, census and registry imports: the real reconciliation once, the real checks once, the facts once', async () => {
    drop(root, { 'siz/e1/cartelle.csv': CARTELLE, 'siz/e1/membri.csv': MEMBRI, 'siz/e1/estrazione.txt': '2026-11-21\n' }, 1);
    drop(root, { 'censimento/censimento.csv': csv([['codice_istat', 'data_riferimento', 'cartelle_attive'], ['098031', '2026-06-30', '10']]) }, 2);
    drop(root, { 'anagrafe/lodi.csv': csv([['codice_fiscale', 'codice_istat', 'id_famiglia'], [CF.mario, '098031', 'F1']]) }, 3);
    const out = await runJob(ctx, 'inbox', { oggi: '2026-11-22', origine: 'pianificatore' });
    expect(out.conteggi).toMatchObject({ importati: 3, scartati: 0, catena: 4 });
    const runs = await get().knex('job_esecuzioni').whereNot({ job: 'inbox' }).orderBy('id').select('job', 'esito', 'origine');
    expect(runs).toEqual([
      { job: 'riconciliazione', esito: 'ok', origine: 'inbox' },
      { job: 'qualita', esito: 'ok', origine: 'inbox' },
      { job: 'variazioni', esito: 'ok', origine: 'inbox' },
      { job: 'fatti', esito: 'ok', origine: 'inbox' },
    ]);
    expect(await get().knex('riconciliazioni').count('* as n')).toEqual([{ n: 1 }]);
    expect(await get().knex('qualita_esecuzioni').count('* as n')).toEqual([{ n: 1 }]);
  });
});
