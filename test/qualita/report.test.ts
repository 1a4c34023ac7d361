/**
 * What people and scripts read: `cruscotto report qualita [--comune] [--json]`, the CSV export
 * for a comune, the `qualita` job and the after-import hook. And the privacy rule: findings carry
 * record ids only, never a codice fiscale.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeDb } from '../support/db';
import { qualitaCommands } from '../../server/cli/qualita';
import { parseArgs, UsageError } from '../../server/cli/args';
import type { CliIO } from '../../server/cli/tipi';
import { dopoImportazioni, runJob } from '../../jobs';
import { findingsCsv, reportJson, runQualita } from '../../server/qualita/service';
import { badCf, BREMBIO, cf, LODI, loadSiz, resetDb, SANTANGELO, testCtx } from './helpers';
import type { AppContext } from '../../server/context';

const CFS = [cf(1), badCf(2), cf(3), '12345678901'];

async function seed(ctx: AppContext): Promise<void> {
  await loadSiz(ctx.db, {
    cartelle: [{ id: 'C1' }, { id: 'C2', istat: BREMBIO, ap: '2026-11-01' }, { id: 'C9', istat: null }],
    membri: [
      { c: 'C1', cf: CFS[0] }, // line 2
      { c: 'C1', cf: CFS[1], ruolo: 'componente' }, // line 3: cf_non_valido
      { c: 'C2', cf: CFS[2] },
      { c: 'C9', cf: CFS[3] }, // line 5: cf_non_valido, non attribuito
    ],
    prestazioni: [{ id: 'P1', cf: null }, { id: 'P2', costo: '-1' }],
    accessi: [{ id: 'A1', cf: CFS[2], motivo: null }],
  });
}

function fakeIo(ctx: AppContext): CliIO & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(`ERR ${l}`), progress: () => undefined, config: ctx.config, context: async () => ctx };
}

async function cli(ctx: AppContext, argv: string[]): Promise<{ code: number; lines: string[] }> {
  const cmd = qualitaCommands.find((c) => c.words.every((w, i) => argv[i] === w))!;
  const io = fakeIo(ctx);
  const code = await cmd.run(parseArgs(argv.slice(cmd.words.length), cmd.booleans ?? []), io);
  return { code, lines: io.lines };
}

// The hook list is global to the module: registered once for both engines.

describeDb('qualita: report, CSV, job e hook', (get) => {
  let ctx: AppContext;
  beforeEach(async () => {
    await resetDb(get());
    ctx = testCtx(get());
  });

  test('report --json has the shape of docs/interfacce.md: record-level checks in controlli, comune-level apart, no zero counts', async () => {
    await seed(ctx);
    await runQualita(ctx);
    const { code, lines } = await cli(ctx, ['report', 'qualita', '--json']);
    expect(code).toBe(0);
    const doc = JSON.parse(lines.join('\n'));
    expect(Object.keys(doc).slice(0, 6)).toEqual(['generato_il', 'estrazione_siz', 'verdetto', 'motivo', 'comuni', 'non_attribuito']);
    expect(doc.generato_il).toBe('2026-11-22T11:00:00Z');
    expect([doc.estrazione_siz, doc.verdetto]).toEqual(['2026-11-21', 'non_affidabile']); // 1 row of 6 has no comune
    expect(doc.motivo).toContain('(1 su 6)');
    expect(doc.comuni.map((c: { codice_istat: string }) => c.codice_istat)).toEqual([BREMBIO, LODI, SANTANGELO]);
    const lodi = doc.comuni.find((c: { codice_istat: string }) => c.codice_istat === LODI);
    // Lodi: C1, 2 members, P1, P2, A1 = 6 records; errors on the member of line 3 and on P2.
    expect(lodi).toEqual({
      codice_istat: LODI, nome: 'Lodi', punteggio: 66.67, record: 6, record_con_errori: 2,
      controlli: { cf_non_valido: 1, cf_mancante: 1, importi_incoerenti: 1 },
      controlli_comune: { campi_facoltativi_mancanti: 1 }, nuovi: null, risolti: null,
    });
    expect(doc.comuni.find((c: { codice_istat: string }) => c.codice_istat === SANTANGELO)).toMatchObject({ punteggio: null, record: 0, controlli: {}, controlli_comune: { caricamento_fermo: 1 } });
    expect(doc.non_attribuito).toEqual({ record: 2, record_con_errori: 2, controlli: { comune_mancante: 1, cf_non_valido: 1 }, nuovi: null, risolti: null });
  });

  test('report text: a line per comune with score, counts, new and fixed; --comune lists the findings', async () => {
    await seed(ctx);
    await runQualita(ctx);
    await get().knex('prestazioni').where({ id_prestazione: 'P2' }).update({ costo: 1, quota_comune: 1 }); // fixed in SIZ
    await runQualita(ctx);
    const sum = await cli(ctx, ['report', 'qualita']);
    expect(sum.lines[0]).toMatch(/^Qualità dei dati SIZ: controlli del 22\/11\/2026.*estrazione SIZ del 21\/11\/2026$/);
    expect(sum.lines[1]).toMatch(/^Verdetto: dati NON AFFIDABILI — il 16,67% delle righe/);
    expect(sum.lines[2]).toBe('Ambito: punteggio 70,00 (10 record, 3 con errori); rispetto ai controlli precedenti: 0 segnalazioni nuove, 1 risolte');
    const lodi = sum.lines.find((l) => l.startsWith(LODI))!;
    expect(lodi.split(/\s{2,}/)).toEqual([LODI, 'Lodi', '83,33', '6', '1', '0', '1', 'cf_non_valido 1, cf_mancante 1, campi_facoltativi_mancanti 1']);
    expect(sum.lines.some((l) => /^\s+Non attribuito\s+—\s+2\s+2\s+0\s+0\s+comune_mancante 1, cf_non_valido 1$/.test(l))).toBe(true);

    const one = await cli(ctx, ['report', 'qualita', '--comune', LODI]);
    expect(one.lines[2]).toBe('098031 Lodi: punteggio 83,33 (6 record, 1 con errori); 3 segnalazioni, 0 nuove e 1 risolte rispetto ai controlli precedenti');
    expect(one.lines.slice(4).map((l) => l.split(/\s{2,}/).slice(0, 4))).toEqual([
      ['Gravità', 'Controllo', 'Tabella', 'Record'],
      ['errore', 'cf_non_valido', 'membri', 'C1/riga 3'],
      ['avviso', 'campi_facoltativi_mancanti', 'accessi', '—'],
      ['avviso', 'cf_mancante', 'prestazioni', 'P1'],
    ]);
    const na = JSON.parse((await cli(ctx, ['report', 'qualita', '--comune', 'non_attribuito', '--json'])).lines.join('\n'));
    expect(na.risultati.map((r: { id_record: string }) => r.id_record)).toEqual(['C9/riga 5', 'C9']);
    expect([na.comuni, na.non_attribuito.record]).toEqual([[], 2]);
    const lodiJson = JSON.parse((await cli(ctx, ['report', 'qualita', '--comune', LODI, '--json'])).lines.join('\n'));
    expect(lodiJson.comuni.map((c: { codice_istat: string }) => c.codice_istat)).toEqual([LODI]);
    expect(lodiJson.risultati.map((r: { id_record: string; nuovo: boolean }) => [r.id_record, r.nuovo])).toEqual([['C1/riga 3', false], [null, false], ['P1', false]]);
    await expect(cli(ctx, ['report', 'qualita', '--comune', '98031'])).rejects.toThrow(UsageError);
  });

  test('before any run the report says so', async () => {
    const { code, lines } = await cli(ctx, ['report', 'qualita']);
    expect([code, lines]).toEqual([0, ['Nessuna esecuzione dei controlli di qualità: eseguire `cruscotto run qualita`.']]);
    expect((await reportJson(get())).comuni).toEqual([]);
  });

  test('export qualita: ;-separated CSV with BOM, CRLF and Italian headers, the findings of one comune', async () => {
    await seed(ctx);
    await runQualita(ctx);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'qualita-')), 'lodi.csv');
    const { code, lines } = await cli(ctx, ['export', 'qualita', '--comune', LODI, file]);
    expect([code, lines]).toEqual([0, [`Scritte 4 segnalazioni del comune 098031 in ${file}.`]]);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith('\ufeffCodice ISTAT;Comune;Gravità;Controllo;Descrizione del controllo;Tabella SIZ;Record;Segnalazione;Valore;Nuova\r\n')).toBe(true);
    const rows = text.slice(1).trimEnd().split('\r\n').map((r) => r.split(';'));
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[5], r[6], r[8], r[9]])).toEqual([
      [LODI, 'Lodi', 'errore', 'cf_non_valido', 'membri', 'C1/riga 3', '', 'no'],
      [LODI, 'Lodi', 'errore', 'importi_incoerenti', 'prestazioni', 'P2', '', 'no'],
      [LODI, 'Lodi', 'avviso', 'campi_facoltativi_mancanti', 'accessi', '', '100', 'no'],
      [LODI, 'Lodi', 'avviso', 'cf_mancante', 'prestazioni', 'P1', '', 'no'],
    ]);
    expect(await findingsCsv(get(), LODI)).toBe(text);
    await expect(cli(ctx, ['export', 'qualita', file])).rejects.toThrow('manca --comune');
  });

  test('no codice fiscale appears in findings, report or CSV (only record ids)', async () => {
    await seed(ctx);
    await runQualita(ctx);
    const all = [
      JSON.stringify(await get().knex('qualita_risultati').select()),
      JSON.stringify(await reportJson(get(), { comune: LODI })),
      JSON.stringify(await reportJson(get(), { comune: 'non_attribuito' })),
      await findingsCsv(get(), LODI),
      await findingsCsv(get(), 'non_attribuito'),
    ].join('\n');
    for (const x of CFS) expect(all).not.toContain(x);
  });

  test('the qualita job runs the checks for `oggi` and reports counts; it is logged like every job', async () => {
    await seed(ctx);
    const res = await runJob(ctx, 'qualita', { oggi: '2026-11-22', origine: 'test' });
    expect(res.messaggio).toMatch(/^Controlli di qualità: 7 segnalazioni \(4 errori, 3 avvisi; primo controllo\); dati SIZ NON affidabili: il 16,67%/);
    expect(res.conteggi).toMatchObject({ segnalazioni: 7, errori: 4, avvisi: 3 });
    expect((await get().knex('qualita_esecuzioni').first()).oggi).toBe('2026-11-22');
    const log = await get().knex('job_esecuzioni').where({ job: 'qualita' }).first();
    expect([log.esito, log.origine]).toEqual(['ok', 'test']);
  });

  test('after imports (jobs/catena.ts): runs after siz, anagrafe and censimento imports, not after the others', async () => {
    await seed(ctx);
    const qualita = async (tipo: string) => (await dopoImportazioni(ctx, [tipo])).filter((l) => /^Controlli di qualità/.test(l));
    const lines = await qualita('siz');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Controlli di qualità: 7 segnalazioni/);
    await qualita('anagrafe');
    await qualita('censimento');
    expect(await qualita('comuni')).toEqual([]);
    expect(await qualita('scadenze')).toEqual([]);
    const [{ n }] = await get().knex('qualita_esecuzioni').count('* as n');
    expect(n).toBe(3);
  });
});
