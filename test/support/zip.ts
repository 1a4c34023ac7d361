import zlib from 'node:zlib';

/**
 * A ZIP written by hand (stored, no compression), so a test can make the archives a library
 * would refuse to write: entries named `../x` or `/etc/x`, symbolic links, sizes that lie.
 */
export interface VoceZip {
  nome: string;
  dati: Buffer | string;
  /** A symbolic link (Unix mode 120777 in the external attributes). */
  link?: boolean;
  /** Declared uncompressed size, when it should differ from the real one. */
  dichiarata?: number;
}

export function zip(voci: VoceZip[]): Buffer {
  const locali: Buffer[] = [];
  const centrali: Buffer[] = [];
  let offset = 0;
  for (const v of voci) {
    const dati = Buffer.isBuffer(v.dati) ? v.dati : Buffer.from(v.dati);
    const nome = Buffer.from(v.nome);
    const crc = zlib.crc32(dati) >>> 0;
    const size = v.dichiarata ?? dati.length;
    const loc = Buffer.alloc(30);
    loc.writeUInt32LE(0x04034b50, 0);
    loc.writeUInt16LE(20, 4);
    loc.writeUInt16LE(0x0800, 6); // UTF-8 names
    loc.writeUInt16LE(0, 8); // stored
    loc.writeUInt32LE(crc, 14);
    loc.writeUInt32LE(dati.length, 18);
    loc.writeUInt32LE(size, 22);
    loc.writeUInt16LE(nome.length, 26);
    locali.push(loc, nome, dati);
    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(0x02014b50, 0);
    cen.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    cen.writeUInt16LE(20, 6);
    cen.writeUInt16LE(0x0800, 8);
    cen.writeUInt16LE(0, 10);
    cen.writeUInt32LE(crc, 16);
    cen.writeUInt32LE(dati.length, 20);
    cen.writeUInt32LE(size, 24);
    cen.writeUInt16LE(nome.length, 28);
    cen.writeUInt32LE(((v.link ? 0o120777 : 0o100644) << 16) >>> 0, 38);
    cen.writeUInt32LE(offset, 42);
    centrali.push(cen, nome);
    offset += 30 + nome.length + dati.length;
  }
  const dir = Buffer.concat(centrali);
  const fine = Buffer.alloc(22);
  fine.writeUInt32LE(0x06054b50, 0);
  fine.writeUInt16LE(voci.length, 8);
  fine.writeUInt16LE(voci.length, 10);
  fine.writeUInt32LE(dir.length, 12);
  fine.writeUInt32LE(offset, 16);
  return Buffer.concat([...locali, dir, fine]);
}
