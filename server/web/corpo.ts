import crypto from 'node:crypto';
import type { Response } from 'express';
import { accettaGzip, gzipDiParti, segmento, SOGLIA_GZIP } from './gzip';

/**
 * A page body rendered once and kept (the cruscotto's pages, the breakdowns), as the bytes it is
 * sent as. Each request then renders only the layout around it (account, menu, CSRF token).
 *
 * Why bytes and not the HTML string: at the regional scale the overview's body is ~240 KB, and
 * `res.send` of the whole page as a string encoded it to UTF-8 again for every request (a body
 * with one accented letter is a two-byte string in V8, the slow path) and hashed all of it for
 * the ETag: ~1.4 ms of the ~5 ms a warm overview cost, at 20 connections most of its p95
 * (docs/bench.md, «The overview's bytes»). Now the body is encoded and hashed once.
 */
export interface CorpoPagina {
  corpo: Buffer;
  /** A hash of `corpo`: with the layout's own, the page's ETag. */
  impronta: string;
  title: string;
  datiAl?: string | null;
  conGrafici?: boolean;
}

const hash = (b: Buffer | string) => crypto.createHash('sha1').update(b).digest('base64url').slice(0, 16);

export function corpoPagina(html: string, meta: Omit<CorpoPagina, 'corpo' | 'impronta'>): CorpoPagina {
  const corpo = Buffer.from(html, 'utf8');
  return { ...meta, corpo, impronta: hash(corpo) };
}

// Where the layout puts the body: a comment no template writes, one per process.
const SEGNO = `<!--corpo-${crypto.randomBytes(8).toString('hex')}-->`;

/**
 * Renders the layout around a kept body (`views/pages/cruscotto-corpo.hbs` in the main layout,
 * with res.locals as every page) and sends the three parts as one buffer. The ETag is that of
 * the layout's text and the body's hash (express would hash the whole page): a reload of an
 * unchanged page still gets its 304.
 */
export async function inviaCorpo(res: Response, p: CorpoPagina): Promise<void> {
  const { corpo, impronta, ...meta } = p;
  const html = await new Promise<string>((resolve, reject) => res.render('cruscotto-corpo', { ...meta, corpo: SEGNO }, (err: Error | null, h?: string) => (err ? reject(err) : resolve(h ?? ''))));
  const i = html.indexOf(SEGNO);
  // The layout holds the body once; if a template ever printed it elsewhere too, the plain way.
  if (i < 0 || html.indexOf(SEGNO, i + 1) >= 0) {
    res.type('html').send(html.split(SEGNO).join(corpo.toString('utf8')));
    return;
  }
  const prima = Buffer.from(html.slice(0, i), 'utf8');
  const dopo = Buffer.from(html.slice(i + SEGNO.length), 'utf8');
  res.set('ETag', `W/"${impronta}-${hash(Buffer.concat([prima, dopo]))}"`);
  res.type('html');
  if (corpo.length >= SOGLIA_GZIP && accettaGzip(res.req)) {
    // The body compressed once (server/web/gzip.ts), the layout for each request.
    inviaGzip(res, gzipDiParti([{ testo: prima, segmento: segmento(prima) }, { testo: corpo, segmento: segmentoDi(corpo) }, { testo: dopo, segmento: segmento(dopo) }]));
    return;
  }
  res.send(Buffer.concat([prima, corpo, dopo]));
}

/** `f` memoized per object: computed on the first call for it, forgotten with it. */
function perOggetto<K extends object, V>(f: (k: K) => V): (k: K) => V {
  const fatti = new WeakMap<K, V>();
  return (k) => {
    let v = fatti.get(k);
    if (v === undefined) fatti.set(k, (v = f(k)));
    return v;
  };
}

// A kept body's compressed segment, and a kept text's whole gzip member: made on the first
// request that asks for gzip.
const segmentoDi = perOggetto(segmento);
const gzipDi = perOggetto((b: Buffer) => gzipDiParti([{ testo: b, segmento: segmento(b) }]));

/** Sends bytes already gzipped: the compression middleware leaves an encoded response alone. */
function inviaGzip(res: Response, gz: Buffer): void {
  res.set('Content-Encoding', 'gzip');
  res.vary('Accept-Encoding');
  res.send(gz);
}

/** A text answer kept as its bytes and ETag (a JSON twin, a CSV): encoded and hashed once. */
export interface Testo {
  byte: Buffer;
  etag: string;
}

export function testo(s: string): Testo {
  const byte = Buffer.from(s, 'utf8');
  return { byte, etag: `W/"${hash(byte)}"` };
}

/**
 * `scrivi` memoized per object (a kept document's table, which never changes): its text written,
 * encoded and hashed once, forgotten with the object.
 */
export function unaVolta<T extends object>(scrivi: (t: T) => string): (t: T) => Testo {
  return perOggetto((t: T) => testo(scrivi(t)));
}

/** Sends a kept text, compressed once when the reader accepts gzip; the caller sets its type (and attachment). */
export function inviaTesto(res: Response, t: Testo): void {
  res.set('ETag', t.etag);
  if (t.byte.length >= SOGLIA_GZIP && accettaGzip(res.req)) {
    inviaGzip(res, gzipDi(t.byte));
    return;
  }
  res.send(t.byte);
}
