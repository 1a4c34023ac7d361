import path from 'node:path';
import { fileChecksum, readCsv, readRecords, RowContext, RowValues, TableSpec } from './csv';
import { ProblemList } from './problemi';
import { LimitiImport, LIMITI_PREDEFINITI } from './limiti';
import { xlsxRecords } from './xlsx';

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
export async function readSmall(file: string, spec: TableSpec, problems: ProblemList, warnings: string[], opts: { allowXlsx?: boolean; sheetName?: string; limiti?: LimitiImport } = {}): Promise<SmallFile> {
  const limiti = opts.limiti ?? LIMITI_PREDEFINITI;
  const rows: SmallRow[] = [];
  const onRow = (v: RowValues, ctx: RowContext) => {
    const line = ctx.line;
    rows.push({ v, line, problem: (column, reason) => ctx.problem.call({ ...ctx, line }, column, reason) });
  };
  const displayName = path.basename(file);
  if (opts.allowXlsx && /\.xlsx$/i.test(file)) {
    const records = await xlsxRecords(file, displayName, problems, limiti, opts.sheetName);
    if (!records) return { rows, checksum: '', header: [] };
    const res = await readRecords({ file, displayName, spec, problems, warnings, onRow, limiti }, records);
    return { rows, header: res.header, checksum: await fileChecksum(file) };
  }
  const res = await readCsv({ file, displayName, spec, problems, warnings, onRow, limiti });
  return { rows, checksum: res.checksum, header: res.header };
}
