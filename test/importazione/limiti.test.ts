/**
 * Limits on every input and files cut short: each refused whole, located, with a message that
 * never echoes more than a short prefix of the bad value, and nothing changed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describeDb, migratedPgliteFolder, truncateAll } from '../support/db';
import { tempFiles } from '../support/files';
import { seedComuni } from '../support/fixtures';
import { importSiz } from '../../server/importazione/siz';
import { importCensimento } from '../../server/importazione/censimento';
import { ImportRejected } from '../../server/importazione/problemi';
import { LIMITI_PREDEFINITI } from '../../server/importazione/limiti';
import { computeVerdetto } from '../../server/qualita/verdetto';
import { loadConfig } from '../../server/config';
import { checksumTabelle, estratto } from './support/estratto';
import { censimentoXlsx } from './support/zip';

async function rejection(p: Promise<unknown>): Promise<ImportRejected> {
  const e = await p.then(() => null, (err: unknown) => err);
  if (!(e instanceof ImportRejected)) throw new Error(`attesa una ImportRejected, avuto ${String(e)}`);
  return e;
}

describeDb('input limits and files cut short', (get) => {
  const base = estratto();
  const baseDir = tempFiles(base);
  // Every test starts from the base extract loaded; `loaded` is the checksum of all its rows.
  let loaded: string;
  beforeAll(async () => {
    await truncateAll(get());
    await seedComuni(get());
  });
  beforeEach(async () => {
    await importSiz(get(), baseDir);
    loaded = await checksumTabelle(get().knex);
  });

  test('a file cut in the middle of a line is rejected at that line, and the verdict says the data is not reliable', async () => {
    const lines = base['cartelle.csv'].split('\n');
    // Cut in the fourth field of line 41: no final line ending, a row shorter than the header.
    const cut = lines.slice(0, 40).join('\n') + '\n' + lines[40].split(';').slice(0, 3).join(';') + ';20';
    const e = await rejection(importSiz(get(), tempFiles({ ...base, 'cartelle.csv': cut })));
    expect(e.problemLines()).toEqual(["cartelle.csv:41:5: la riga ha 4 campi, l'intestazione ne ha 7: riga incompleta o file troncato (separatore \";\")"]);
    expect(await checksumTabelle(get().knex)).toBe(loaded);
    const v = await computeVerdetto(get().knex);
    expect(v.verdetto).toBe('non_affidabile');
    expect(v.motivo).toMatch(/l'ultima importazione SIZ \(n\. \d+ del .*\) è stata rifiutata/);
  });

  test('a missing final line ending stays valid, a row with empty trailing fields written out is whole', async () => {
    const noEol = base['accessi.csv'].replace(/\n$/, '');
    const out = await importSiz(get(), tempFiles({ ...base, 'accessi.csv': noEol }));
    expect(out.esito).toBe('ok');
    expect(out.righe).toEqual({ accessi: 60 });
  });

  test('a 10 MB field is refused at its line and column; the message shows 40 characters of it', async () => {
    const lines = base['accessi.csv'].split('\n');
    const f = lines[5].split(';');
    f[6] = 'M'.repeat(10 * 1024 * 1024);
    lines[5] = f.join(';');
    const e = await rejection(importSiz(get(), tempFiles({ ...base, 'accessi.csv': lines.join('\n') })));
    const report = e.report();
    expect(report.length).toBeLessThan(1000);
    expect(e.problemLines()).toEqual(['accessi.csv:6:7: riga troppo lunga: oltre 100.000 caratteri (un campo senza fine o un file danneggiato)']);
    expect(await checksumTabelle(get().knex)).toBe(loaded);
  });

  test('fields over the text and identifier limits: located, cut to 40 characters in the message', async () => {
    const lines = base['accessi.csv'].split('\n');
    const a = lines[3].split(';');
    a[6] = 'x'.repeat(1001);
    lines[3] = a.join(';');
    const b = lines[4].split(';');
    b[0] = 'A'.repeat(10_000); // "index row requires 11472 bytes" before the limit
    lines[4] = b.join(';');
    const e = await rejection(importSiz(get(), tempFiles({ ...base, 'accessi.csv': lines.join('\n') })));
    expect(e.problemLines()).toEqual([
      `accessi.csv:4:7: motivo_accesso: testo troppo lungo, al massimo 1000 caratteri (1001): "${'x'.repeat(40)}…"`,
      `accessi.csv:5:1: id_accesso: identificativo troppo lungo, al massimo 64 caratteri (10.000): "${'A'.repeat(40)}…"`,
    ]);
    // Exactly at the limits: accepted.
    a[6] = 'x'.repeat(1000);
    b[0] = 'A'.repeat(64);
    lines[3] = a.join(';');
    lines[4] = b.join(';');
    expect((await importSiz(get(), tempFiles({ ...base, 'accessi.csv': lines.join('\n') }))).esito).toBe('ok');
  });

  test('row count and file size limits from the configuration', async () => {
    const limiti = loadConfig({ IMPORT_MAX_RIGHE: '59', IMPORT_MAX_MB: '1' }).limiti;
    const e = await rejection(importSiz(get(), tempFiles({ ...base, 'cartelle.csv': base['cartelle.csv'] + 'C9999;098031;2020-01-01;;;;\n' }), { limiti }));
    expect(e.problemLines()).toEqual(['cartelle.csv:61:0: il file supera il limite di 59 righe di dati (impostazione IMPORT_MAX_RIGHE)']);
    const big = tempFiles({ ...base, 'accessi.csv': base['accessi.csv'] + 'x'.repeat(1024 * 1024) });
    const e2 = await rejection(importSiz(get(), big, { limiti }));
    expect(e2.problemLines()).toEqual(['accessi.csv: il file è troppo grande: 1 MB, al massimo 1 MB (impostazione IMPORT_MAX_MB)']);
    expect(await checksumTabelle(get().knex)).toBe(loaded);
  });

  test('files read whole in memory (census, comuni, deadlines...) stop at 100,000 rows', async () => {
    const rows = Array.from({ length: 100_001 }, (_, i) => `098031;2026-06-${String(1 + (i % 28)).padStart(2, '0')};${i}`);
    const dir = tempFiles({ 'c.csv': `codice_istat;data_riferimento;cartelle_attive\n${rows.join('\n')}\n` });
    const e = await rejection(importCensimento(get(), path.join(dir, 'c.csv')));
    expect(e.problemLines()).toContain('c.csv:100002:0: il file supera il limite di 100.000 righe di dati (limite dei file di comuni, censimento, nomenclatore e scadenze)');
  });

  test('values the database could not hold are format errors: amounts, counts', async () => {
    const lines = base['prestazioni.csv'].split('\n');
    const f = lines[2].split(';');
    f[7] = '99999999999999999999';
    lines[2] = f.join(';');
    const e = await rejection(importSiz(get(), tempFiles({ ...base, 'prestazioni.csv': lines.join('\n') })));
    expect(e.problemLines()).toEqual(['prestazioni.csv:3:8: costo: importo fuori scala "99999999999999999999" (al massimo 9.999.999.999,99)']);
    const census = tempFiles({ 'c.csv': 'codice_istat;data_riferimento;cartelle_attive\n098031;2026-06-30;3000000000\n' });
    const e2 = await rejection(importCensimento(get(), path.join(census, 'c.csv')));
    expect(e2.problemLines()).toEqual(['c.csv:2:3: cartelle_attive: numero fuori scala "3000000000" (al massimo 2.147.483.647)']);
  });

  test('XLSX: a long string, too many cells, a zip that lies about its sizes', async () => {
    const dir = tempFiles({
      'lungo.xlsx': censimentoXlsx(Buffer.from('y'.repeat(40_000))),
      'bugiardo.xlsx': censimentoXlsx(() => [Buffer.alloc(2 * 1024 * 1024, 0x41)], 1000),
      'buono.xlsx': censimentoXlsx(Buffer.from('una nota')),
    });
    const lungo = await rejection(importCensimento(get(), path.join(dir, 'lungo.xlsx')));
    expect(lungo.problemLines()).toEqual(['lungo.xlsx: la cartella di lavoro contiene un testo di oltre 32.767 caratteri (impostazione XLSX_MAX_STRINGA)']);
    const bugiardo = await rejection(importCensimento(get(), path.join(dir, 'bugiardo.xlsx')));
    expect(bugiardo.problemLines()[0]).toMatch(/^bugiardo\.xlsx: il file non è una cartella di lavoro Excel \(\.xlsx\) leggibile: il contenuto di xl\/sharedStrings\.xml è più grande di quanto dichiarato/);
    const celle = await rejection(importCensimento(get(), path.join(dir, 'buono.xlsx'), { limiti: { ...LIMITI_PREDEFINITI, xlsxCelle: 6 } }));
    expect(celle.problemLines()).toEqual(['buono.xlsx:2:3: il foglio supera il limite di 6 celle (impostazione XLSX_MAX_CELLE)']);
    const ok = await importCensimento(get(), path.join(dir, 'buono.xlsx'));
    expect(ok.esito).toBe('ok');
    expect((await get().knex('censimento').first('note', 'cartelle_attive'))).toEqual({ note: 'una nota', cartelle_attive: 10 });
  });
});

describe('XLSX bomb: 300 MB in one string of a small workbook [pglite]', () => {
  test('`cruscotto import censimento` refuses it at once, with a short message and a peak RSS under 300 MB', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-bomba-'));
    try {
      const chunk = Buffer.alloc(1024 * 1024, 0x41);
      const honest = censimentoXlsx(() => Array.from({ length: 300 }, () => chunk));
      const lying = censimentoXlsx(() => Array.from({ length: 300 }, () => chunk), 1000);
      expect(honest.length).toBeLessThan(1024 * 1024);
      fs.writeFileSync(path.join(tmp, 'censimento.xlsx'), honest);
      fs.writeFileSync(path.join(tmp, 'bugiardo.xlsx'), lying);
      // The command as bin/cruscotto.js runs it, reporting its own peak RSS when it exits.
      const wrapper = path.join(tmp, 'misura.js');
      fs.writeFileSync(wrapper, `process.on('exit', () => require('fs').writeSync(2, 'MAXRSS_KB=' + process.resourceUsage().maxRSS + '\\n'));\nrequire(${JSON.stringify(path.resolve(__dirname, '..', '..', 'bin', 'cruscotto.js'))});\n`);
      // A migrated database: creating one (initdb) costs more memory than anything measured here.
      await migratedPgliteFolder(path.join(tmp, 'data', 'db'));
      const env = { ...process.env, DATA_DIR: path.join(tmp, 'data'), DATABASE_URL: '' };
      for (const [file, reason] of [
        ['censimento.xlsx', 'la cartella di lavoro decompressa occupa 300 MB, al massimo 50 MB (impostazione XLSX_MAX_MB)'],
        ['bugiardo.xlsx', 'il contenuto di xl/sharedStrings.xml è più grande di quanto dichiarato'],
      ]) {
        // The peak of one run is ~220-250 MB; CI saw 325 MB once and a run here 378 MB once,
        // neither repeated in dozens of runs (not the file: nothing of it is decompressed). A
        // string of 300 MB held in memory would put every run above 500 MB, so the least of up
        // to three runs is the figure.
        const peaks: number[] = [];
        for (let i = 0; i < 3 && !(peaks.length && Math.min(...peaks) < 300 * 1024 * 1024); i++) {
          const r = spawnSync(process.execPath, [wrapper, 'import', 'censimento', path.join(tmp, file)], { env, encoding: 'utf8', timeout: 180_000 });
          expect({ file, status: r.status }).toEqual({ file, status: 1 });
          expect(r.stderr).toContain(`${file}: `);
          expect(r.stderr).toContain(reason);
          expect(r.stderr.replace(/MAXRSS_KB=\d+\n/, '').length).toBeLessThan(1000);
          peaks.push(Number(/MAXRSS_KB=(\d+)/.exec(r.stderr)![1]) * 1024);
        }
        expect(Math.min(...peaks)).toBeLessThan(300 * 1024 * 1024);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 240_000);
});
