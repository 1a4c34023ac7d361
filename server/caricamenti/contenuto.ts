import fs from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';

/**
 * Is a file what its extension says? Judged from its first bytes (the signature every ZIP,
 * Excel, PDF or image file starts with), never from the name alone: a renamed file is refused
 * with a message that says what it really is.
 */
export type Natura = 'vuoto' | 'testo' | 'zip' | 'xls' | 'pdf' | 'immagine' | 'compresso' | 'binario';

const DESCRIZIONI: Record<Natura, string> = {
  vuoto: 'è vuoto',
  testo: 'è un file di testo',
  zip: 'è un archivio ZIP (o un file Excel .xlsx)',
  xls: 'è un file Excel 97-2003 (.xls): aprirlo e salvarlo come .xlsx o come CSV',
  pdf: 'è un documento PDF',
  immagine: "è un'immagine",
  compresso: 'è un file compresso (gzip)',
  binario: 'contiene dati binari, non testo',
};

export function natura(inizio: Buffer): Natura {
  if (inizio.length === 0) return 'vuoto';
  const hex = inizio.subarray(0, 8).toString('hex');
  if (hex.startsWith('504b0304') || hex.startsWith('504b0506')) return 'zip';
  if (hex === 'd0cf11e0a1b11ae1') return 'xls';
  if (hex.startsWith('25504446')) return 'pdf';
  if (hex.startsWith('89504e47') || hex.startsWith('ffd8ff') || hex.startsWith('47494638')) return 'immagine';
  if (hex.startsWith('1f8b')) return 'compresso';
  if (inizio.includes(0)) return 'binario';
  return 'testo';
}

export async function naturaDi(file: string): Promise<Natura> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return natura(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/** The names inside a ZIP (without extracting anything); null when it cannot be read as one. */
export function nomiNelloZip(file: string): Promise<string[] | null> {
  return new Promise((resolve) => {
    yauzl.open(file, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return resolve(null);
      const nomi: string[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        nomi.push(e.fileName);
        if (nomi.length > 10_000) {
          zip.close();
          resolve(nomi);
        } else zip.readEntry();
      });
      zip.on('end', () => resolve(nomi));
      zip.on('error', () => resolve(null));
      zip.readEntry();
    });
  });
}

/**
 * Checks a received file against its extension; returns the problem in Italian, or null.
 * Text files are checked further (encoding, columns) by the import itself.
 */
export async function controllaEstensione(file: string, nome: string, accettate: string[]): Promise<string | null> {
  const ext = path.extname(nome).toLowerCase();
  if (!accettate.includes(ext)) return `${nome}: tipo di file non accettato qui (sono accettati: ${accettate.join(', ')}).`;
  const n = await naturaDi(file);
  if (ext === '.csv' || ext === '.txt') {
    if (n === 'testo' || n === 'vuoto') return null;
    return `${nome}: non è un file ${ext === '.csv' ? 'CSV' : 'di testo'}: ${DESCRIZIONI[n]}.`;
  }
  if (ext === '.zip') return n === 'zip' ? null : `${nome}: non è un archivio ZIP: ${DESCRIZIONI[n]}.`;
  if (ext === '.xlsx') {
    if (n !== 'zip') return `${nome}: non è un file Excel (.xlsx): ${DESCRIZIONI[n]}.`;
    const nomi = await nomiNelloZip(file);
    if (!nomi || !nomi.includes('xl/workbook.xml')) return `${nome}: non è un file Excel (.xlsx): è un archivio ZIP di altro tipo o danneggiato.`;
    return null;
  }
  return null;
}
