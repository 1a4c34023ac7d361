import path from 'node:path';
import type ExcelJS from 'exceljs';
import { excel } from '../shared/excel';
import { readCsv, readRecords, RowContext, RowValues, SourceRecord, TableSpec } from './csv';
import { ProblemList } from './problemi';
import { fileChecksum } from './csv';

export interface SmallRow {
  v: RowValues;
  line: number;
  problem: RowContext['problem'];
}

export interface SmallFile {
  rows: SmallRow[];
  checksum: string;
  header: string[];
}

/**
 * Reads a small input (registry, census, nomenclature, deadlines: at most a few thousand rows)
 * into memory, from CSV or, when `allowXlsx`, from the first sheet (or the sheet named
 * `sheetName`) of an XLSX workbook.
 */
export async function readSmall(file: string, spec: TableSpec, problems: ProblemList, warnings: string[], opts: { allowXlsx?: boolean; sheetName?: string } = {}): Promise<SmallFile> {
  const rows: SmallRow[] = [];
  const onRow = (v: RowValues, ctx: RowContext) => {
    const line = ctx.line;
    rows.push({ v, line, problem: (column, reason) => ctx.problem.call({ ...ctx, line }, column, reason) });
  };
  const displayName = path.basename(file);
  if (opts.allowXlsx && /\.xlsx$/i.test(file)) {
    const records = await xlsxRecords(file, displayName, problems, opts.sheetName);
    if (!records) return { rows, checksum: '', header: [] };
    const res = await readRecords({ file, displayName, spec, problems, warnings, onRow }, records);
    return { rows, header: res.header, checksum: await fileChecksum(file) };
  }
  const res = await readCsv({ file, displayName, spec, problems, warnings, onRow });
  return { rows, checksum: res.checksum, header: res.header };
}

/** Cell value as the text a CSV would hold: dates as YYYY-MM-DD, formulas by their result. */
function cellText(value: ExcelJS.CellValue): string {
  if (value == null) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
  }
  return String(value);
}

async function xlsxRecords(file: string, name: string, problems: ProblemList, sheetName?: string): Promise<AsyncIterable<SourceRecord[]> | null> {
  const wb = new (excel().Workbook)();
  try {
    await wb.xlsx.readFile(file);
  } catch (e) {
    const msg = (e as NodeJS.ErrnoException).code === 'ENOENT' ? `il file non esiste (${file})` : 'il file non è una cartella di lavoro Excel (.xlsx) leggibile';
    problems.add({ file: name, line: 0, column: 0, reason: msg });
    return null;
  }
  const sheet = (sheetName && wb.worksheets.find((w) => w.name.toLowerCase() === sheetName.toLowerCase())) || wb.worksheets[0];
  if (!sheet) {
    problems.add({ file: name, line: 0, column: 0, reason: 'la cartella di lavoro non ha fogli' });
    return null;
  }
  const records: SourceRecord[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as ExcelJS.CellValue[]; // 1-based, index 0 unused
    const fields: string[] = [];
    for (let c = 1; c < values.length; c++) fields[c - 1] = cellText(values[c]);
    for (let c = 0; c < fields.length; c++) if (fields[c] === undefined) fields[c] = '';
    if (fields.some((f) => f.trim() !== '')) records.push({ fields, line: rowNumber });
  });
  return (async function* () {
    yield records;
  })();
}
