import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { AppError } from '../shared/errori';
import { dimensione } from '../shared/formato';

/**
 * Extracts the files of a SIZ extract from an uploaded ZIP of its folder, safely:
 * - an entry whose path leaves the folder (`../`, an absolute path, a drive letter) or is a
 *   symbolic link refuses the whole ZIP, named in the message;
 * - only the known file names are extracted (whatever folder they are in, e.g. the ZIP of a
 *   folder `estrazione-2026-11-21/`), each written under its own fixed name into `dest`: nothing
 *   can be written anywhere else; the other entries are listed as ignored;
 * - the uncompressed size is bounded (`maxByte`, counted on the bytes really produced, not on
 *   what the ZIP declares): a "zip bomb" stops at the limit.
 */
export class ZipRifiutato extends AppError {
  constructor(message: string) {
    super(message, { status: 400 });
  }
}

const SYMLINK = 0o120000;

function percorsoFuori(nome: string): boolean {
  const n = nome.replace(/\\/g, '/');
  return n.startsWith('/') || /^[a-zA-Z]:/.test(n) || n.split('/').includes('..');
}

export async function estraiZip(file: string, nomeZip: string, dest: string, ammessi: string[], maxByte: number): Promise<{ estratti: string[]; ignorati: string[] }> {
  // decodeStrings: false, so yauzl hands over every name as it is and the check below (with a
  // message naming the entry) decides, rather than a generic error of the library.
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: true }, (err, z) => (err || !z ? reject(new ZipRifiutato(`${nomeZip}: non è un archivio ZIP leggibile.`)) : resolve(z))),
  );
  fs.mkdirSync(dest, { recursive: true });
  const estratti: string[] = [];
  const ignorati: string[] = [];
  let totale = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', () => reject(new ZipRifiutato(`${nomeZip}: l'archivio ZIP è danneggiato.`)));
      zip.on('end', () => resolve());
      zip.on('entry', (e: yauzl.Entry) => {
        void (async () => {
          const nome = (e.fileName as unknown as Buffer).toString('utf8');
          if (percorsoFuori(nome)) throw new ZipRifiutato(`${nomeZip}: l'elemento "${nome}" ha un percorso che esce dalla cartella (../ o percorso assoluto): archivio rifiutato, nessun file estratto.`);
          if (((e.externalFileAttributes >>> 16) & 0o170000) === SYMLINK) throw new ZipRifiutato(`${nomeZip}: l'elemento "${nome}" è un collegamento simbolico: archivio rifiutato, nessun file estratto.`);
          if (nome.endsWith('/')) return; // a folder
          const base = nome.split(/[\\/]/).pop()!.toLowerCase();
          if (!ammessi.includes(base) || nome.split('/').some((p) => p.startsWith('.') || p === '__MACOSX')) {
            ignorati.push(nome);
            return;
          }
          if (estratti.includes(base)) throw new ZipRifiutato(`${nomeZip}: ${base} compare due volte nell'archivio.`);
          if (totale + e.uncompressedSize > maxByte) throw new ZipRifiutato(`${nomeZip}: il contenuto dell'archivio supera il limite di ${dimensione(maxByte)} una volta estratto.`);
          if (e.generalPurposeBitFlag & 0x1) throw new ZipRifiutato(`${nomeZip}: l'archivio è protetto da password.`);
          const stream = await new Promise<NodeJS.ReadableStream>((res, rej) => zip.openReadStream(e, (err, s) => (err || !s ? rej(new ZipRifiutato(`${nomeZip}: l'elemento "${nome}" non si può leggere (archivio danneggiato).`)) : res(s))));
          const conta = new Transform({
            transform(chunk: Buffer, _enc, cb) {
              totale += chunk.length;
              if (totale > maxByte) return cb(new ZipRifiutato(`${nomeZip}: il contenuto dell'archivio supera il limite di ${dimensione(maxByte)} una volta estratto.`));
              cb(null, chunk);
            },
          });
          try {
            await pipeline(stream, conta, fs.createWriteStream(path.join(dest, base), { flags: 'wx' }));
          } catch (err) {
            throw err instanceof ZipRifiutato ? err : new ZipRifiutato(`${nomeZip}: l'elemento "${nome}" non si può estrarre (archivio danneggiato).`);
          }
          estratti.push(base);
        })().then(
          () => zip.readEntry(),
          (err) => {
            zip.close();
            reject(err);
          },
        );
      });
      zip.readEntry();
    });
  } catch (e) {
    fs.rmSync(dest, { recursive: true, force: true });
    throw e;
  }
  return { estratti, ignorati };
}
