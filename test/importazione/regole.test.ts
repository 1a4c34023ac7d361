/**
 * One test per general rule of the data contract, on both engines, with small files
 * loaded through the real importers.
 */
import ExcelJS from 'exceljs';
import path from 'node:path';
import { describeDb, truncateAll } from '../support/db';
import { csv, tempFiles } from '../support/files';
import { CF, seedComuni } from '../support/fixtures';
import { importSiz } from '../../server/importazione/siz';
import { importCensimento } from '../../server/importazione/censimento';
import { importNomenclatore } from '../../server/importazione/nomenclatore';
import { ImportRejected } from '../../server/importazione/problemi';

const CARTELLE = csv([['id_cartella', 'codice_istat', 'data_apertura'], ['C1', '098031', '2020-01-01']]);
const MEMBRI = csv([['id_cartella', 'codice_fiscale'], ['C1', CF.mario]]);

/** Imports a SIZ extract made of the base files plus `extra`, and returns the rejection if any. */
async function siz(db: Parameters<typeof importSiz>[0], extra: Record<string, string | Buffer>) {
  const dir = tempFiles({ 'cartelle.csv': CARTELLE, 'membri.csv': MEMBRI, 'estrazione.txt': '2026-11-21', ...extra });
  try {
    return { out: await importSiz(db, dir), err: null as ImportRejected | null };
  } catch (e) {
    if (e instanceof ImportRejected) return { out: null, err: e };
    throw e;
  }
}

const accessiHeader = ['id_accesso', 'codice_istat', 'data_accesso'];

describeDb('contract general rules', (get) => {
  beforeEach(async () => {
    await truncateAll(get());
    await seedComuni(get());
  });

  test('dates: YYYY-MM-DD and DD/MM/YYYY are read, anything else is a format error', async () => {
    const ok = await siz(get(), { 'accessi.csv': csv([accessiHeader, ['A1', '098031', '2024-02-29'], ['A2', '098031', '01/03/2024'], ['A3', '098031', '1/3/2024']]) });
    expect(ok.err).toBeNull();
    expect((await get().knex('accessi').orderBy('id_accesso')).map((r) => r.data_accesso)).toEqual(['2024-02-29', '2024-03-01', '2024-03-01']);
    const bad = await siz(get(), { 'accessi.csv': csv([accessiHeader, ['A1', '098031', '2023-02-29'], ['A2', '098031', '2024.03.01'], ['A3', '098031', '31/04/2024']]) });
    expect(bad.err!.report()).toContain('accessi.csv:2:3: data_accesso: data inesistente "2023-02-29"');
    expect(bad.err!.report()).toContain('accessi.csv:3:3: data_accesso: data non valida "2024.03.01"');
    expect(bad.err!.report()).toContain('accessi.csv:4:3: data_accesso: data inesistente "31/04/2024"');
  });

  test('amounts: 1234.56, 1234,56, 1.234,56, 1,234.56, € before or after; negative loaded', async () => {
    const head = ['id_prestazione', 'codice_prestazione', 'data_erogazione', 'costo', 'recupero_famiglia'];
    const r = await siz(get(), {
      'prestazioni.csv': csv([head, ['P1', 'A1.04', '2024-01-01', '1234.56', ''], ['P2', 'A1.04', '2024-01-01', '1234,56', '0,5'], ['P3', 'A1.04', '2024-01-01', '"1.234,56"', ''], ['P4', 'A1.04', '2024-01-01', '"1,234.56"', ''], ['P5', 'A1.04', '2024-01-01', '€ 12,50', ''], ['P6', 'A1.04', '2024-01-01', '12,50 €', ''], ['P7', 'A1.04', '2024-01-01', '-40', '']]),
    });
    expect(r.err).toBeNull();
    const rows = await get().knex('prestazioni').orderBy('id_prestazione');
    expect(rows.map((x) => x.costo)).toEqual([1234.56, 1234.56, 1234.56, 1234.56, 12.5, 12.5, -40]);
    expect(rows[1].recupero_famiglia).toBe(0.5);
    expect(rows[1].quota_comune).toBe(1234.06); // default: costo - recuperi
    const bad = await siz(get(), { 'prestazioni.csv': csv([head, ['P1', 'A1.04', '2024-01-01', '12 euro', ''], ['P2', 'A1.04', '2024-01-01', '1.2.3', '']]) });
    expect(bad.err!.report()).toMatch(/prestazioni\.csv:2:4: costo: importo non valido "12 euro"/);
    expect(bad.err!.report()).toMatch(/prestazioni\.csv:3:4: costo: importo non valido "1\.2\.3"/);
  });

  test('delimiter: `,` and `;` detected from the header line', async () => {
    const r = await siz(get(), { 'accessi.csv': csv([accessiHeader, ['A1', '098031', '2024-01-01']], ',') });
    expect(r.err).toBeNull();
    expect(await get().knex('accessi').count('* as n')).toEqual([{ n: 1 }]);
  });

  test('a leading BOM is ignored', async () => {
    const r = await siz(get(), { 'accessi.csv': '\ufeff' + csv([accessiHeader, ['A1', '098031', '2024-01-01']]) });
    expect(r.err).toBeNull();
    expect((await get().knex('accessi').first()).id_accesso).toBe('A1');
  });

  test('CRLF line endings, and line numbers as an editor counts them', async () => {
    const text = csv([accessiHeader, ['A1', '098031', '2024-01-01'], ['A2', '098031', 'ieri']]).replace(/\n/g, '\r\n');
    const bad = await siz(get(), { 'accessi.csv': text });
    expect(bad.err!.report()).toContain('accessi.csv:3:3: data_accesso: data non valida "ieri"');
    const good = await siz(get(), { 'accessi.csv': csv([accessiHeader, ['A1', '098031', '2024-01-01']]).replace(/\n/g, '\r\n') });
    expect(good.err).toBeNull();
    expect((await get().knex('accessi').first()).data_accesso).toBe('2024-01-01');
  });

  test('quoted fields with delimiters, doubled quotes and line breaks inside', async () => {
    const text = 'id_accesso;codice_istat;data_accesso;motivo_accesso;punto_accesso\n' + 'A1;098031;2024-01-01;"CASA; ALLOGGIO";"Sportello ""Centro""\nsecondo piano"\n' + 'A2;098031;nonèdata;X;Y\n';
    const bad = await siz(get(), { 'accessi.csv': text });
    expect(bad.err!.report()).toContain('accessi.csv:4:3: data_accesso'); // the quoted line break counts
    const good = await siz(get(), { 'accessi.csv': text.replace('nonèdata', '2024-01-02') });
    expect(good.err).toBeNull();
    const a1 = await get().knex('accessi').where('id_accesso', 'A1').first();
    expect(a1.motivo_accesso).toBe('CASA; ALLOGGIO');
    expect(a1.punto_accesso).toBe('Sportello "Centro"\nsecondo piano');
  });

  test('booleans: 1/0, si/no, sì/no, s/n, true/false, x/empty', async () => {
    const rows = [['id_cartella', 'data_apertura', 'tutela_minori'], ...['1', '0', 'si', 'no', 'Sì', 'S', 'n', 'TRUE', 'false', 'x', ''].map((v, i) => [`C${i}`, '2020-01-01', v])];
    const r = await siz(get(), { 'cartelle.csv': csv(rows), 'membri.csv': csv([['id_cartella', 'codice_fiscale'], ['C0', CF.mario]]) });
    expect(r.err).toBeNull();
    const got = await get().knex('cartelle').select('id_cartella', 'tutela_minori');
    const byId = Object.fromEntries(got.map((g) => [g.id_cartella, g.tutela_minori]));
    expect([...Array(11).keys()].map((i) => byId[`C${i}`])).toEqual([true, false, true, false, true, true, false, true, false, true, false]);
    const bad = await siz(get(), { 'cartelle.csv': csv([['id_cartella', 'data_apertura', 'tutela_minori'], ['C1', '2020-01-01', 'forse']]) });
    expect(bad.err!.report()).toContain('cartelle.csv:2:3: tutela_minori: valore sì/no non valido "forse"');
  });

  test('codici fiscali: upper case and spaces removed before use; a bad check character is loaded', async () => {
    const spaced = CF.anna.toLowerCase().replace(/(.{3})/g, '$1 ');
    const wrong = CF.mario.slice(0, 15) + (CF.mario[15] === 'A' ? 'B' : 'A');
    const r = await siz(get(), { 'membri.csv': csv([['id_cartella', 'codice_fiscale'], ['C1', spaced], ['C1', wrong]]) });
    expect(r.err).toBeNull();
    const m = await get().knex('membri').orderBy('riga');
    expect(m.map((x) => [x.codice_fiscale, x.cf_valido])).toEqual([[CF.anna, true], [wrong, false]]);
  });

  test('ISTAT codes shorter than 6 digits are left-padded', async () => {
    const r = await siz(get(), { 'accessi.csv': csv([accessiHeader, ['A1', '98031', '2024-01-01'], ['A2', '15191', '2024-01-01']]) });
    expect(r.err).toBeNull();
    expect((await get().knex('accessi').orderBy('id_accesso')).map((a) => a.codice_istat)).toEqual(['098031', '015191']);
  });

  test('unknown columns are ignored and listed as a warning; header names are case-insensitive and trimmed', async () => {
    const r = await siz(get(), { 'accessi.csv': csv([[' ID_Accesso ', 'Codice_ISTAT', 'DATA_ACCESSO', 'colore_preferito'], ['A1', '098031', '2024-01-01', 'blu']]) });
    expect(r.err).toBeNull();
    expect(r.out!.avvisi).toContain('accessi.csv: colonne sconosciute ignorate: colore_preferito');
  });

  test('missing required column and empty required field are format errors', async () => {
    const r = await siz(get(), { 'accessi.csv': csv([['id_accesso', 'codice_istat'], ['A1', '098031']]) });
    expect(r.err!.report()).toContain('accessi.csv: manca la colonna obbligatoria "data_accesso"'.replace('accessi.csv: ', 'accessi.csv:1:0: '));
    const r2 = await siz(get(), { 'accessi.csv': csv([accessiHeader, ['', '098031', '2024-01-01']]) });
    expect(r2.err!.report()).toContain('accessi.csv:2:1: id_accesso: campo obbligatorio vuoto');
  });

  test('census: comune names matched ignoring case, accents, apostrophes and spaces; unmatched name is a format error', async () => {
    const dir = tempFiles({
      'censimento.csv': csv([['comune', 'data_riferimento', 'cartelle_attive'], ['SANT ANGELO LODIGIANO', '2020-06-30', '12'], ['lodì', '30/06/2020', '1.234'], ['Brembio', '2020-06-30', '0']]),
      'errato.csv': csv([['comune', 'data_riferimento', 'cartelle_attive'], ['Lodi Vecchio', '2020-06-30', '3']]),
    });
    const out = await importCensimento(get(), path.join(dir, 'censimento.csv'));
    expect(out.righe.censimento).toBe(3);
    const rows = await get().knex('censimento').orderBy('codice_istat');
    expect(rows.map((r) => [r.codice_istat, r.cartelle_attive, r.periodo_inizio])).toEqual([
      ['098010', 0, '2020-01-01'],
      ['098031', 1234, '2020-01-01'],
      ['098047', 12, '2020-01-01'],
    ]);
    await expect(importCensimento(get(), path.join(dir, 'errato.csv'))).rejects.toThrow(ImportRejected);
    try {
      await importCensimento(get(), path.join(dir, 'errato.csv'));
    } catch (e) {
      expect((e as ImportRejected).report()).toContain('errato.csv:2:1: comune: "Lodi Vecchio" non corrisponde a nessun comune');
    }
  });

  test('census from an XLSX workbook (sheet "Censimento", dates and numbers as cells)', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Istruzioni').addRow(['Compilare il foglio Censimento']);
    const ws = wb.addWorksheet('Censimento');
    ws.addRow(['Codice_ISTAT', 'data_riferimento', 'cartelle_attive', 'utenti_in_carico', 'note']);
    ws.addRow(['98031', new Date(Date.UTC(2020, 5, 30)), 50, 120, 'dichiarato dal comune']);
    ws.addRow([98010, '30/06/2020', 7, null, null]);
    const dir = tempFiles({});
    const file = path.join(dir, 'censimento.xlsx');
    await wb.xlsx.writeFile(file);
    await importCensimento(get(), file);
    const rows = await get().knex('censimento').orderBy('codice_istat');
    expect(rows.map((r) => [r.codice_istat, r.data_riferimento, r.cartelle_attive, r.utenti_in_carico])).toEqual([
      ['098010', '2020-06-30', 7, null],
      ['098031', '2020-06-30', 50, 120],
    ]);
    ws.addRow(['098031', 'giugno', 5]);
    await wb.xlsx.writeFile(file);
    await expect(importCensimento(get(), file)).rejects.toThrow(/Importazione rifiutata/);
  });

  test('nomenclature: a code is looked up as it is, then by its parents', async () => {
    const dir = tempFiles({ 'nom.csv': csv([['codice', 'descrizione', 'pasti_trasporti'], ['A1.05', 'Contributi alloggio', '0'], ['A1.16', 'Trasporto', '1'], ['A2.07', 'Assistenza domiciliare', '0'], ['A2.07.01', 'Pasti a domicilio', 'si']]) });
    await importNomenclatore(get(), path.join(dir, 'nom.csv'));
    const head = ['id_prestazione', 'codice_prestazione', 'data_erogazione', 'costo'];
    await siz(get(), {
      'prestazioni.csv': csv([head, ['P1', 'A1.05.01-BUONI SPESA COVID-19', '2024-01-01', '10'], ['P2', 'A1.16.03.02', '2024-01-01', '10'], ['P3', 'a2.07.01 pasti', '2024-01-01', '10'], ['P4', 'A2.07.09', '2024-01-01', '10'], ['P5', 'Q9.99', '2024-01-01', '10'], ['P6', 'A1.051', '2024-01-01', '10']]),
    });
    const rows = (await get().knex.raw('select p.id_prestazione, c.codice_nomenclatura, c.pasti_trasporti, c.conosciuto from prestazioni p join codici_prestazione c using (codice_prestazione) order by 1')).rows;
    expect(rows.map((r: Record<string, unknown>) => [r.id_prestazione, r.codice_nomenclatura, r.pasti_trasporti, r.conosciuto])).toEqual([
      ['P1', 'A1.05', false, true],
      ['P2', 'A1.16', true, true],
      ['P3', 'A2.07.01', true, true],
      ['P4', 'A2.07', false, true],
      ['P5', null, false, false],
      ['P6', null, false, false],
    ]);
  });
});
