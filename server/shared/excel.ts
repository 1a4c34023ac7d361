import type ExcelJS from 'exceljs';

/**
 * exceljs, loaded on first use. It costs about 16 MB of memory in every process that loads it,
 * and only census files in .xlsx and the census export need it: an import of the SIZ extract,
 * the jobs and most commands never do.
 */
export function excel(): typeof ExcelJS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('exceljs') as typeof ExcelJS;
}
