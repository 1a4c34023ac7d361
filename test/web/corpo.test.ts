/**
 * A kept page body sent as bytes (server/web/corpo.ts): the page is byte for byte the one the
 * plain rendering gives (the layout with res.locals around the body, accented letters and all),
 * its ETag changes with the body and with the layout (another account's CSRF token), and an
 * unchanged page gets a 304. A small express app with the views of the application.
 */
import http from 'node:http';
import path from 'node:path';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createViews, VIEWS_DIR } from '../../server/web/views';
import zlib from 'node:zlib';
import { corpoPagina, inviaCorpo, inviaTesto, testo } from '../../server/web/corpo';

const views = createViews();
const app = express();
// As server/app.ts: res.render renders views/pages/<page>.hbs in the layout with res.locals.
app.engine('hbs', (file: string, data: object, cb: (e: unknown, html?: string) => void) => {
  cb(null, views.page(path.relative(path.join(VIEWS_DIR, 'pages'), file).replace(/\.hbs$/, ''), data as Record<string, unknown>));
});
app.set('view engine', 'hbs');
app.set('views', path.join(VIEWS_DIR, 'pages'));
app.use((req, res, next) => {
  res.locals.csrf = String(req.query.csrf ?? 'token-a');
  res.locals.utente = { email: 'udp@test.example', ruolo: 'udp' };
  next();
});
const corpo = (q: unknown) => `<h1>Cità di Sant'Angelo — ${String(q ?? 'uno')}</h1><p>perché è così</p>`.repeat(50);
const meta = { title: 'Panoramica', datiAl: '2026-11-22', conGrafici: true };
app.get('/kept', async (req, res) => inviaCorpo(res, corpoPagina(corpo(req.query.corpo), meta)));
app.get('/plain', (req, res) => res.render('cruscotto-corpo', { ...meta, corpo: corpo(req.query.corpo) }));
const csv = testo('comune;accessi\n' + Array.from({ length: 400 }, (_, i) => `Comune ${i} — Sant'Angelo;${i * 7}`).join('\n'));
app.get('/csv', (_req, res) => {
  res.type('text/csv');
  inviaTesto(res, csv);
});

let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const get = (p: string, headers: Record<string, string> = {}) => fetch(base + p, { headers });

/** The bytes as sent (node:http: fetch decodes gzip by itself and sends its own Accept-Encoding). */
function grezzo(p: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; byte: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(base + p, { method, headers }, (res) => {
      const parti: Buffer[] = [];
      res.on('data', (c: Buffer) => parti.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, byte: Buffer.concat(parti) }));
    });
    req.on('error', reject);
    req.end();
  });
}
const BROWSER = { 'accept-encoding': 'gzip, deflate, br, zstd' };

test('la pagina con il corpo conservato è identica, byte per byte, a quella resa per intero', async () => {
  const [a, b] = await Promise.all([grezzo('/kept', {}), grezzo('/plain', {})]);
  expect(a.status).toBe(200);
  expect(a.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(a.headers['content-encoding']).toBeUndefined();
  expect(a.byte.equals(b.byte)).toBe(true);
  expect(a.byte.toString('utf8')).toContain("<h1>Cità di Sant'Angelo — uno</h1>");
  expect(a.byte.toString('utf8')).toContain('Dati aggiornati al 22/11/2026');
  expect(a.byte.toString('utf8')).toContain('value="token-a"');
  expect(Number(a.headers['content-length'])).toBe(a.byte.length);
});

test('a un browser va la stessa pagina in gzip (il corpo compresso una volta, il layout a ogni richiesta); ad altri in chiaro', async () => {
  const plain = (await grezzo('/plain', {})).byte;
  const gz = await grezzo('/kept', BROWSER);
  expect(gz.status).toBe(200);
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(gz.headers.vary).toMatch(/Accept-Encoding/i);
  expect(Number(gz.headers['content-length'])).toBe(gz.byte.length);
  expect(gz.byte.length).toBeLessThan(plain.length / 3);
  // gunzipSync checks the trailer's CRC-32 and length too.
  expect(zlib.gunzipSync(gz.byte).equals(plain)).toBe(true);
  // Another account's layout around the same kept body: its own CSRF token, decoded whole.
  const b = await grezzo('/kept?csrf=token-b', BROWSER);
  expect(zlib.gunzipSync(b.byte).equals((await grezzo('/plain?csrf=token-b', {})).byte)).toBe(true);
  // What fetch (undici) does with it, as a browser would.
  expect(await (await get('/kept')).text()).toBe(plain.toString('utf8'));
  // Not to a client that does not accept gzip, nor to a HEAD.
  for (const h of [{ 'accept-encoding': 'br' }, { 'accept-encoding': 'gzip;q=0, identity' }, { 'accept-encoding': 'identity' }]) {
    const r = await grezzo('/kept', h);
    expect({ h, enc: r.headers['content-encoding'], uguale: r.byte.equals(plain) }).toEqual({ h, enc: undefined, uguale: true });
  }
  const head = await grezzo('/kept', BROWSER, 'HEAD');
  expect([head.status, head.headers['content-encoding'], head.byte.length]).toEqual([200, undefined, 0]);
  // The ETag does not depend on the encoding, and a reload still gets its 304.
  expect(gz.headers.etag).toBe((await grezzo('/kept', {})).headers.etag);
  const r304 = await grezzo('/kept', { ...BROWSER, 'if-none-match': gz.headers.etag! });
  expect([r304.status, r304.byte.length]).toEqual([304, 0]);
});

test('un testo conservato (CSV, JSON) va in gzip a chi lo accetta, compresso una volta', async () => {
  const a = await grezzo('/csv', BROWSER);
  const b = await grezzo('/csv', BROWSER);
  expect(a.headers['content-encoding']).toBe('gzip');
  expect(zlib.gunzipSync(a.byte).equals(csv.byte)).toBe(true);
  expect(b.byte.equals(a.byte)).toBe(true);
  const chiaro = await grezzo('/csv', {});
  expect([chiaro.headers['content-encoding'], chiaro.byte.equals(csv.byte)]).toEqual([undefined, true]);
});

test("l'ETag cambia con il corpo e con il layout; una pagina invariata risponde 304", async () => {
  const etag = async (p: string) => (await get(p)).headers.get('etag')!;
  const e1 = await etag('/kept');
  expect(e1).toMatch(/^W\/"/);
  expect(await etag('/kept')).toBe(e1);
  expect(await etag('/kept?corpo=due')).not.toBe(e1);
  expect(await etag('/kept?csrf=token-b')).not.toBe(e1);
  // node:http, not fetch: fetch adds `Cache-Control: no-cache` to a conditional request.
  const r = await new Promise<{ status: number; byte: number }>((resolve, reject) => {
    http.get(`${base}/kept`, { headers: { 'if-none-match': e1 } }, (res) => {
      let byte = 0;
      res.on('data', (c: Buffer) => (byte += c.length));
      res.on('end', () => resolve({ status: res.statusCode!, byte }));
    }).on('error', reject);
  });
  expect(r).toEqual({ status: 304, byte: 0 });
});
