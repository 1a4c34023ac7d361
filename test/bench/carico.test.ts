/**
 * The pages' latency under load (bench/carico.ts, misuraPagina) counts the requests still
 * unanswered when the time is up. autocannon forgets them: a page that stalled for the last
 * seconds of its turn showed only its quick answers (a regional run of 2026-12-06: 33 requests
 * in 5 s at 20 connections, p95 31 ms). Here a real server on 127.0.0.1 answers its first
 * requests and then holds every other one: the stall must be in the figures.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { misuraPagina } from '../../bench/carico';

const RISPOSTE = 13; // the first request of misuraPagina (it must be a 200) and 12 under load
const CONNESSIONI = 4;

let server: http.Server;
let url: string;
const trattenute: http.ServerResponse[] = [];

beforeAll(async () => {
  let n = 0;
  server = http.createServer((_req, res) => {
    n += 1;
    if (n > RISPOSTE) {
      trattenute.push(res);
      return;
    }
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pagina`;
});

afterAll(async () => {
  for (const r of trattenute) r.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test('una pagina che smette di rispondere: le richieste sospese contano, con la loro attesa', async () => {
  const m = await misuraPagina('bloccata', url, '', 1, CONNESSIONI, null);
  // 12 answers under load and one request left unanswered on each connection.
  expect(m.senza_risposta_alla_fine).toBe(CONNESSIONI);
  expect(m.richieste).toBe(RISPOSTE - 1 + CONNESSIONI);
  // The held requests waited from their connection's last answer to the end of the second: they
  // are the slowest 4 of 16, so the 95th percentile is one of them.
  expect(m.attesa_max_alla_fine_ms).toBeGreaterThanOrEqual(500);
  expect(m.max_ms).toBe(m.attesa_max_alla_fine_ms);
  expect(m.p95_ms).toBeGreaterThan(m.mediana_ms);
  expect(m.p95_ms).toBeGreaterThanOrEqual(300);
});
