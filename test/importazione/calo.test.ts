/**
 * A snapshot that shrank is suspicious: a SIZ table losing more than SIZ_CALO_MASSIMO of its
 * rows holds the whole extract (recorded `sospesa`, nothing applied, the verdict says so) until
 * someone confirms it: `cruscotto import siz DIR --conferma`, or confermaImportazioneSiz (the
 * service behind the web upload's button), or from the inbox's sospesi/ folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeDb, truncateAll } from '../support/db';
import { tempFiles } from '../support/files';
import { seedComuni } from '../support/fixtures';
import { runCli } from '../support/cli';
import { testContext } from '../auth/helpers';
import { importSiz } from '../../server/importazione/siz';
import { ImportSospesa } from '../../server/importazione/problemi';
import { ConfermaImpossibile, confermaImportazioneSiz, importazioniSospese } from '../../server/importazione/conferma';
import { computeVerdetto } from '../../server/qualita/verdetto';
import { runJob } from '../../jobs';
import { inboxJob } from '../../jobs/inbox';
import { JobFallito } from '../../jobs/tipi';
import { withOnlyJobs } from '../jobs/support/jobs';
import { checksumTabelle, estratto } from './support/estratto';

/** The base extract with only the first `keep` cartelle (and their membri untouched). */
function halved(keep: number): Record<string, string> {
  const base = estratto();
  const lines = base['cartelle.csv'].split('\n');
  return { ...base, 'cartelle.csv': lines.slice(0, keep + 1).join('\n') + '\n' };
}

describeDb('SIZ table that shrank', (get) => {
  beforeEach(async () => {
    await truncateAll(get());
    await seedComuni(get());
    await importSiz(get(), tempFiles(estratto()));
  });

  test('50% fewer cartelle: held, located at the end of the file, nothing applied; confirmed, applied', async () => {
    const before = await checksumTabelle(get().knex);
    const dir = tempFiles(halved(30));
    const e = await importSiz(get(), dir).then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(ImportSospesa);
    const held = e as ImportSospesa;
    expect(held.problemLines()).toEqual([
      'cartelle.csv:31:0: il file finisce qui con 30 righe di dati; la tabella cartelle caricata ne ha 60: 30 in meno (-50%), oltre il calo massimo del 20% (impostazione SIZ_CALO_MASSIMO)',
    ]);
    expect(held.report()).toContain(`Se il calo è reale, confermare l'importazione: cruscotto import siz ${dir} --conferma`);
    expect(await checksumTabelle(get().knex)).toBe(before);
    const row = await get().knex('importazioni').orderBy('id', 'desc').first();
    expect(row.esito).toBe('sospesa');
    expect(row.file).toEqual([{ nome: 'cartelle.csv', checksum: expect.stringMatching(/^[0-9a-f]{64}$/), righe: 30 }]);
    expect(row.errori).toEqual(held.problemLines());

    const v = await computeVerdetto(get().knex);
    expect(v.verdetto).toBe('non_affidabile');
    expect(v.motivo).toMatch(/^l'ultima importazione SIZ \(n\. \d+ del .*\) è sospesa in attesa di conferma, perché una tabella ha perso troppe righe/);
    const ctx = testContext(get());
    expect((await importazioniSospese(ctx)).map((s) => s.id)).toEqual([Number(row.id)]);

    // Exactly 20% fewer (48 of 60) is still allowed; 47 is not.
    await expect(importSiz(get(), tempFiles(halved(47)))).rejects.toThrow(ImportSospesa);

    const out = await confermaImportazioneSiz(ctx, Number(row.id), { utente: 'udp@example.it' });
    expect(out.esito).toBe('ok');
    expect(await get().knex('cartelle').count('* as n')).toEqual([{ n: 30 }]);
    expect((await get().knex('importazioni').where({ id: row.id }).first()).esito).toBe('confermata');
    expect(await importazioniSospese(ctx)).toEqual([]);
    expect((await computeVerdetto(get().knex)).verdetto).toBe('affidabile');
    await expect(confermaImportazioneSiz(ctx, Number(row.id))).rejects.toThrow(/è già stata confermata/);
  });

  test('a confirmation refuses changed files and a held extract older than the data loaded', async () => {
    const ctx = testContext(get());
    const dir = tempFiles(halved(30));
    await expect(importSiz(get(), dir)).rejects.toThrow(ImportSospesa);
    const id = Number((await get().knex('importazioni').orderBy('id', 'desc').first('id')).id);
    fs.appendFileSync(path.join(dir, 'cartelle.csv'), 'C0999;098031;2020-01-01;;;;\n');
    await expect(confermaImportazioneSiz(ctx, id)).rejects.toThrow(new ConfermaImpossibile(`I file dell'importazione n. ${id} non sono più quelli sospesi (cartelle.csv manca o è cambiato in ${dir}): importare di nuovo la cartella.`));

    const dir2 = tempFiles(halved(30));
    await expect(importSiz(get(), dir2)).rejects.toThrow(ImportSospesa);
    const id2 = Number((await get().knex('importazioni').orderBy('id', 'desc').first('id')).id);
    const newer = estratto();
    newer['accessi.csv'] = newer['accessi.csv'].replace('Sportello 1', 'Sportello 9');
    expect((await importSiz(get(), tempFiles(newer))).esito).toBe('ok');
    await expect(confermaImportazioneSiz(ctx, id2)).rejects.toThrow(/è già stata caricata un'estrazione SIZ più recente/);
    await expect(confermaImportazioneSiz(ctx, 999_999)).rejects.toThrow(/non trovata/);
  });

  test('the inbox holds it in sospesi/ with SOSPESO.txt, the run fails with the reason; the confirmation archives it', async () => {
    const ctx = testContext(get());
    const root = path.join(ctx.dataDir, 'inbox');
    const set = path.join(root, 'siz', 'notte');
    fs.mkdirSync(set, { recursive: true });
    for (const [n, c] of Object.entries(halved(20))) fs.writeFileSync(path.join(set, n), c);
    const failed = await withOnlyJobs([inboxJob], () => runJob(ctx, 'inbox')).then(() => null, (e: unknown) => e);
    expect(failed).toBeInstanceOf(JobFallito);
    expect((failed as JobFallito).risultato.conteggi).toMatchObject({ importati: 0, sospesi: 1 });
    expect((failed as JobFallito).message).toMatch(/siz\/notte: sospeso, da confermare/);
    const held = path.join(root, 'sospesi', 'siz', '20261122T090000Z-notte');
    expect(fs.readdirSync(held).sort()).toEqual(['SOSPESO.txt', 'accessi.csv', 'cartelle.csv', 'estrazione.txt', 'membri.csv', 'prestazioni.csv']);
    const text = fs.readFileSync(path.join(held, 'SOSPESO.txt'), 'utf8');
    expect(text).toContain('cartelle.csv:21:0: il file finisce qui con 20 righe di dati; la tabella cartelle caricata ne ha 60');
    expect(text).toContain(`cruscotto import siz ${held} --conferma`);
    const run = await get().knex('job_esecuzioni').where({ job: 'inbox' }).first();
    expect(run.esito).toBe('fallito');
    expect(run.conteggi).toMatchObject({ sospesi: 1 });
    const [sospesa] = await importazioniSospese(ctx);
    expect(sospesa.origine).toBe(held);

    const out = await confermaImportazioneSiz(ctx, sospesa.id);
    expect(out.esito).toBe('ok');
    expect(fs.existsSync(held)).toBe(false);
    expect(fs.readdirSync(path.join(root, 'archivio', 'siz'))).toEqual(['20261122T090000Z-notte']);
    expect(await get().knex('cartelle').count('* as n')).toEqual([{ n: 20 }]);
  });
});

describe('cruscotto import siz --conferma [pglite]', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-calo-'));
  const prev = process.env.DATA_DIR;
  beforeAll(() => {
    process.env.DATA_DIR = dataDir;
  });
  afterAll(() => {
    process.env.DATA_DIR = prev;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('held: exit 1 and how to confirm; with --conferma: exit 0 and applied', async () => {
    expect((await runCli(['import', 'siz', tempFiles(estratto())])).code).toBe(0);
    const dir = tempFiles(halved(30));
    const held = await runCli(['import', 'siz', dir]);
    expect(held.code).toBe(1);
    expect(held.err).toContain("Importazione sospesa: una tabella perde troppe righe rispetto all'estrazione caricata (file troncato o estrazione incompleta?). Nessun dato è stato modificato.");
    expect(held.err).toContain('cartelle.csv:31:0: il file finisce qui con 30 righe di dati');
    expect(held.err).toContain(`cruscotto import siz ${dir} --conferma`);
    const ok = await runCli(['import', 'siz', dir, '--conferma']);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('cartelle 30');
  }, 120_000);
});
