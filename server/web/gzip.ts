import zlib from 'node:zlib';
import type { Request } from 'express';

/**
 * Pages compressed without compressing again, for every request, the part every reader shares.
 *
 * The `compression` middleware (server/app.ts) compresses each response whole. A page kept as
 * bytes (server/web/corpo.ts) is the same body inside a layout of a few KB that changes per
 * account (menu, CSRF token): at the regional scale the overview's body is ~240 KB, and
 * compressing it for every request cost ~1.6-1.8 ms of CPU, as much as the rest of the request;
 * with 20 connections asking as a browser does (`Accept-Encoding: gzip, deflate, br`) the
 * overview's p95 went from ~280 to 560-740 ms (docs/bench.md, «Compressed pages»).
 *
 * Here the body is compressed once, as a raw DEFLATE segment ending on a byte boundary
 * (Z_SYNC_FLUSH: no final block), kept with it; each request compresses only the layout's two
 * parts the same way and joins the three segments, then a final empty block, in one gzip member
 * (RFC 1951 §3.2.3: a stream is any sequence of blocks; each segment's back-references reach only
 * into its own text, so a segment is valid after any other). The gzip trailer's CRC-32 is of the
 * whole page, computed per request (zlib's, ~0.1 ms for 240 KB).
 */

/** Below this the bytes saved do not pay for the work (as the middleware's default threshold). */
export const SOGLIA_GZIP = 1024;

// 1f 8b: gzip; 08: DEFLATE; flags 0; mtime 0 (none); extra flags 0; OS 255 (unknown).
const TESTA = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);
// A final fixed-Huffman block holding only its end code: BFINAL 1, BTYPE 01, then 7 zero bits.
const FINE = Buffer.from([0x03, 0x00]);

/** A raw DEFLATE segment of `b` that other segments can follow (not final, byte-aligned). */
export function segmento(b: Buffer): Buffer {
  return zlib.deflateRawSync(b, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
}

/** One gzip member of the parts' concatenation, from each part and its segment. */
export function gzipDiParti(parti: { testo: Buffer; segmento: Buffer }[]): Buffer {
  let crc = 0;
  let lunghezza = 0;
  for (const p of parti) {
    // An empty part is skipped: zlib's crc32 of a zero-length buffer without memory behind it
    // (zlib reads a null pointer as «start again») returned 0, not the running value.
    if (p.testo.length === 0) continue;
    crc = zlib.crc32(p.testo, crc);
    lunghezza += p.testo.length;
  }
  const coda = Buffer.alloc(8);
  coda.writeUInt32LE(crc >>> 0, 0);
  coda.writeUInt32LE(lunghezza >>> 0, 4); // ISIZE: the length modulo 2^32
  return Buffer.concat([TESTA, ...parti.map((p) => p.segmento), FINE, coda]);
}

/**
 * Whether the request accepts gzip (Accept-Encoding, with its q-values). A browser that also
 * accepts br gets gzip: br cannot be joined from parts, and its gain over gzip on these pages does
 * not pay for compressing every page whole again.
 */
export function accettaGzip(req: Request): boolean {
  return req.method !== 'HEAD' && req.acceptsEncodings('gzip', 'identity') === 'gzip';
}
