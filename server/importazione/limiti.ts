import fs from 'node:fs';
/**
 * Limits on every input file (docs/formati.md, "Limiti"). They keep memory bounded whatever a
 * file holds, and refuse at once what no real export can be: a 10 MB free-text field, a
 * 300 MB string hidden in a 300 KB workbook, a ten-thousand-character identifier (PostgreSQL
 * cannot even index it). Each one is configurable (config.ts: IMPORT_MAX_*, XLSX_MAX_*,
 * SIZ_CALO_*); these are the defaults.
 */
export interface LimitiImport {
  /** Size of one input file, in bytes (CSV or XLSX as it is on disk). */
  fileByte: number;
  /** Data rows of one file. */
  righe: number;
  /** Characters of a text field (names, descriptions, notes...). */
  testo: number;
  /** Characters of an identifier or code (id_cartella, codice_fiscale, codice_istat...). */
  id: number;
  /** XLSX: bytes of the whole workbook once decompressed. */
  xlsxByte: number;
  /** XLSX: cells of the sheet read. */
  xlsxCelle: number;
  /** XLSX: characters of one string in the workbook (Excel itself stops at 32,767). */
  xlsxStringa: number;
  /** SIZ: a table that loses more than this share of its rows (percent) is held. */
  caloMassimo: number;
  /** SIZ: tables that had fewer rows than this are not checked for a loss. */
  caloMinRighe: number;
}

export const LIMITI_PREDEFINITI: LimitiImport = {
  fileByte: 2048 * 1024 * 1024,
  righe: 10_000_000,
  testo: 1000,
  id: 64,
  xlsxByte: 50 * 1024 * 1024,
  xlsxCelle: 500_000,
  xlsxStringa: 32_767,
  caloMassimo: 20,
  caloMinRighe: 50,
};

/**
 * Longest record (line) the reader keeps in memory, in characters: every field of a wide row
 * at its text limit fits many times over, and a line without end cannot fill the memory.
 */
export function maxRecordChars(l: LimitiImport): number {
  return Math.max(64 * 1024, 100 * l.testo);
}

const MOSTRATI = 40;

/**
 * A value quoted for a message: at most 40 characters, control characters shown as `\xNN`,
 * so that a bad value of 10 MB (or a terminal escape sequence) never reaches the screen whole.
 */
export function citazione(raw: string): string {
  const cut = raw.length > MOSTRATI ? raw.slice(0, MOSTRATI) : raw;
  // eslint-disable-next-line no-control-regex
  const safe = cut.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `"${safe}${raw.length > MOSTRATI ? '…' : ''}"`;
}

/** 314572800 -> "300 MB" (Italian number format, binary megabytes as the settings use). */
export function megabyte(n: number): string {
  const mb = n / (1024 * 1024);
  return `${mb.toLocaleString('it-IT', { maximumFractionDigits: mb < 10 ? 1 : 0 })} MB`;
}

export const intero = (n: number) => n.toLocaleString('it-IT');

/**
 * The file of an import, before anything reads it: it exists, is a file, and is within
 * IMPORT_MAX_MB. Otherwise the reason goes to `problems` (as a whole-file problem) and null.
 */
export function fileAmmesso(file: string, name: string, problems: { add(p: { file: string; line: number; column: number; reason: string }): void }, limiti: LimitiImport): fs.Stats | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    problems.add({ file: name, line: 0, column: 0, reason: `il file non esiste (${file})` });
    return null;
  }
  if (!stat.isFile()) {
    problems.add({ file: name, line: 0, column: 0, reason: `non è un file (${file})` });
    return null;
  }
  if (stat.size > limiti.fileByte) {
    problems.add({ file: name, line: 0, column: 0, reason: `il file è troppo grande: ${megabyte(stat.size)}, al massimo ${megabyte(limiti.fileByte)} (impostazione IMPORT_MAX_MB)` });
    return null;
  }
  return stat;
}
