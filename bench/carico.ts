/** Page latency under load: autocannon, N connections for S seconds, on 127.0.0.1 (bounded). */
import os from 'node:os';

export interface MisuraPagina {
  pagina: string;
  percorso: string;
  richieste: number;
  errori: number;
  richieste_al_secondo: number;
  mediana_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
  /** Requests unanswered when the time was up (one per connection), counted with their wait so far. */
  senza_risposta_alla_fine?: number;
  attesa_max_alla_fine_ms?: number;
  loadavg_1m: number;
  /** The first request, before the load (a page computed once per data version: the cold cost). */
  primo_ms?: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** What a browser asks for (Chromium and Firefox): the pages then go through compression (server/app.ts). */
export const CODIFICA_BROWSER = 'gzip, deflate, br';

/**
 * `codifica`: the Accept-Encoding header, a browser's by default (what readers get: the pages
 * compressed); null for none (autocannon alone sends none: the bare cost of the page, as every
 * figure before 2026-12-06).
 */
export async function misuraPagina(pagina: string, url: string, cookie: string, durata: number, connessioni: number, codifica: string | null = CODIFICA_BROWSER): Promise<MisuraPagina> {
  const autocannon = (await import('autocannon')).default;
  const headers: Record<string, string> = codifica ? { cookie, 'accept-encoding': codifica } : { cookie };
  // One request first: a 302 to /login or an error page would make every figure meaningless.
  const t0 = performance.now();
  const r = await fetch(url, { headers, redirect: 'manual' });
  await r.text();
  const primo = performance.now() - t0;
  if (r.status !== 200) throw new Error(`${url}: HTTP ${r.status}`);
  const tempi: number[] = [];
  // When the time is up autocannon closes its connections and forgets the requests still
  // unanswered: a page that stalled for the last seconds of its turn showed only the quick
  // answers before the stall (33 requests in 5 s at 20 connections, p95 31 ms, in a regional
  // run of 2026-12-06: docs/bench.md). Each connection has one request in flight at a time, sent
  // as the previous answer arrives, so the one it has left waited at least since that answer
  // (since the start for a connection never answered): that wait counts too, a lower bound.
  const ultime = new Map<unknown, number>();
  const inizio = performance.now();
  const inst = autocannon({ url, connections: connessioni, duration: durata, headers });
  inst.on('response', (c: unknown, _s: number, _b: number, t: number) => {
    tempi.push(t);
    ultime.set(c, performance.now());
  });
  const res = await inst;
  const fine = performance.now();
  const sospese = [...ultime.values(), ...Array<number>(Math.max(0, connessioni - ultime.size)).fill(inizio)].map((u) => fine - u);
  tempi.push(...sospese);
  tempi.sort((a, b) => a - b);
  const r1 = (x: number) => +x.toFixed(1);
  return {
    pagina,
    percorso: new URL(url).pathname,
    richieste: res.requests.total + sospese.length,
    errori: res.errors + res.non2xx + res.timeouts,
    richieste_al_secondo: Math.round(res.requests.average),
    mediana_ms: r1(percentile(tempi, 50)),
    p95_ms: r1(percentile(tempi, 95)),
    p99_ms: r1(percentile(tempi, 99)),
    max_ms: r1(tempi[tempi.length - 1] ?? NaN),
    senza_risposta_alla_fine: sospese.length,
    attesa_max_alla_fine_ms: r1(Math.max(0, ...sospese)),
    loadavg_1m: +os.loadavg()[0].toFixed(2),
    primo_ms: r1(primo),
  };
}
