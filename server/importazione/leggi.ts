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

/** A code given twice (`colonna`, a key of the file): each later row is a problem that names the first. */
export function codiciDuplicati(rows: SmallRow[], colonna: string): void {
  const seen = new Map<string, number>();
  for (const r of rows) {
    const code = r.v[colonna] as string;
    if (seen.has(code)) r.problem(colonna, `codice ${code} duplicato: già presente alla riga ${seen.get(code)}`);
    else seen.set(code, r.line);
  }
}

/** Rows of a small input at most (a region has 1,500 comuni; a plan of deadlines a few per comune). */
export const RIGHE_FILE_PICCOLO = 100_000;

/**
 * Reads a small input (registry, census, nomenclature, deadlines: at most a few thousand rows)
 * into memory, from CSV or, when `allowXlsx`, from the first sheet (or the sheet named
 * `sheetName`) of an XLSX workbook.
 */
export async function readSmall(file: string, spec: TableSpec, problems: ProblemList, warnings: string[], opts: { allowXlsx?: boolean; sheetName?: string; limiti?: LimitiImport } = {}): Promise<SmallFile> {
  // These files are held in memory whole: their own, smaller, row limit keeps that bounded.
  const given = opts.limiti ?? LIMITI_PREDEFINITI;
  const limiti = given.righe > RIGHE_FILE_PICCOLO ? { ...given, righe: RIGHE_FILE_PICCOLO } : given;
  const rowLimitNote = limiti === given ? undefined : 'limite dei file di comuni, censimento, nomenclatore e scadenze';
  const rows: SmallRow[] = [];
  const onRow = (v: RowValues, riga: RowContext) => {
    const line = riga.line;
    rows.push({ v, line, problem: (column, reason) => riga.problem.call({ ...riga, line }, column, reason) });
  };
  const displayName = path.basename(file);
  if (opts.allowXlsx && /\.xlsx$/i.test(file)) {
    const records = await xlsxRecords(file, displayName, problems, limiti, opts.sheetName);
    if (!records) return { rows, checksum: '', header: [] };
    const res = await readRecords({ file, displayName, spec, problems, warnings, onRow, limiti, rowLimitNote }, records);
    return { rows, header: res.header, checksum: await fileChecksum(file) };
  }
  const res = await readCsv({ file, displayName, spec, problems, warnings, onRow, limiti, rowLimitNote });
  return { rows, checksum: res.checksum, header: res.header };
}
