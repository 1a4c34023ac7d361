import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import busboy from 'busboy';
import { AppError } from '../shared/errori';
import { dimensione } from '../shared/formato';

/**
 * Receives a multipart upload straight to disk: each file is streamed into `dir` (never held in
 * memory, so memory does not grow with the file), its SHA-256 computed on the way. The whole
 * upload is bounded by `maxByte`: past it the upload stops, what was written is removed and the
 * caller answers 413.
 */
export class RicezioneRifiutata extends AppError {
  constructor(status: number, message: string) {
    super(message, { status });
  }
}

export interface FileRicevuto {
  /** The name as the person chose it, made safe for the file system (no folders). */
  nome: string;
  percorso: string;
  byte: number;
  checksum: string;
}

export interface Ricevuto {
  campi: Record<string, string>;
  file: FileRicevuto[];
}

const MAX_FILE = 20;

/** A file name safe in any file system: no folders, no control characters, no leading dot. */
export function nomeSicuro(nome: string): string {
  const base = nome.replace(/\\/g, '/').split('/').pop() ?? '';
  const clean = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/[^\p{L}\p{N} ._()-]/gu, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(-120);
  return clean || 'file';
}


export async function riceviFile(req: Request, dir: string, maxByte: number): Promise<Ricevuto> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type)) throw new RicezioneRifiutata(415, 'Il modulo deve inviare i file (multipart/form-data).');
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxByte + 1024 * 1024) throw new RicezioneRifiutata(413, `Il caricamento supera il limite di ${dimensione(maxByte)}: nessun file è stato salvato.`);
  fs.mkdirSync(dir, { recursive: true });
  const campi: Record<string, string> = {};
  const file: FileRicevuto[] = [];
  let totale = 0;
  let errore: RicezioneRifiutata | null = null;
  const scritture: Promise<void>[] = [];
  const aperti = new Set<NodeJS.ReadableStream & { destroy(): void }>();

  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: MAX_FILE, fields: 20, fieldSize: 10_000, parts: MAX_FILE + 20, fileSize: maxByte + 1 } });
  } catch {
    throw new RicezioneRifiutata(400, 'Richiesta di caricamento non valida.');
  }
  let fine: () => void = () => undefined;
  const finito = new Promise<void>((resolve) => (fine = resolve));
  const fallisci = (e: RicezioneRifiutata) => {
    errore ??= e;
    req.unpipe(bb);
    req.resume(); // the rest is read and thrown away, so the answer reaches the browser
    for (const s of aperti) s.destroy();
    fine();
  };

  bb.on('field', (name, value) => {
    if (/^[a-z_]{1,30}$/.test(name)) campi[name] = value;
  });
  bb.on('file', (_field, stream, info) => {
    if (errore || !info.filename) {
      stream.resume();
      return;
    }
    const nome = nomeSicuro(info.filename);
    if (file.some((f) => f.nome === nome)) {
      fallisci(new RicezioneRifiutata(400, `Due file con lo stesso nome: ${nome}.`));
      stream.resume();
      return;
    }
    const percorso = path.join(dir, nome);
    const rec: FileRicevuto = { nome, percorso, byte: 0, checksum: '' };
    file.push(rec);
    const hash = crypto.createHash('sha256');
    const conta = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        rec.byte += chunk.length;
        totale += chunk.length;
        if (totale > maxByte) return cb(new RicezioneRifiutata(413, `Il caricamento supera il limite di ${dimensione(maxByte)}: nessun file è stato salvato.`));
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    stream.on('limit', () => conta.destroy(new RicezioneRifiutata(413, `Il caricamento supera il limite di ${dimensione(maxByte)}: nessun file è stato salvato.`)));
    // 'wx': a name is never written twice, and nothing already there (a link) is followed.
    aperti.add(stream);
    const scrittura = pipeline(stream, conta, fs.createWriteStream(percorso, { flags: 'wx' })).finally(() => aperti.delete(stream)).then(
      () => {
        rec.checksum = hash.digest('hex');
      },
      (e: unknown) => {
        stream.resume();
        fallisci(e instanceof RicezioneRifiutata ? e : new RicezioneRifiutata(400, 'Il caricamento si è interrotto prima della fine: riprovare.'));
      },
    );
    scritture.push(scrittura);
  });
  bb.on('filesLimit', () => fallisci(new RicezioneRifiutata(400, `Troppi file in un solo caricamento (al massimo ${MAX_FILE}).`)));

  bb.on('close', () => fine());
  bb.on('error', () => fallisci(new RicezioneRifiutata(400, 'Il caricamento si è interrotto prima della fine: riprovare.')));
  req.on('aborted', () => fallisci(new RicezioneRifiutata(400, 'Il caricamento è stato interrotto.')));
  req.pipe(bb);
  await finito;
  // The parser is done; the last bytes may still be on their way to the disk.
  if (!errore) await Promise.all(scritture);
  if (errore) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw errore;
  }
  return { campi, file };
}
