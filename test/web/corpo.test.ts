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
import { corpoPagina, inviaCorpo } from '../../server/web/corpo';

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

let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const get = (p: string, headers: Record<string, string> = {}) => fetch(base + p, { headers });

test('la pagina con il corpo conservato è identica, byte per byte, a quella resa per intero', async () => {
  const [a, b] = await Promise.all([get('/kept'), get('/plain')]);
  expect(a.status).toBe(200);
  expect(a.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const ba = Buffer.from(await a.arrayBuffer());
  const bb = Buffer.from(await b.arrayBuffer());
  expect(ba.equals(bb)).toBe(true);
  expect(ba.toString('utf8')).toContain("<h1>Cità di Sant'Angelo — uno</h1>");
  expect(ba.toString('utf8')).toContain('Dati aggiornati al 22/11/2026');
  expect(ba.toString('utf8')).toContain('value="token-a"');
  expect(Number(a.headers.get('content-length'))).toBe(ba.length);
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
