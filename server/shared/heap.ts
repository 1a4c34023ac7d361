import v8 from 'node:v8';

/**
 * How far the JS heap of the web server may grow past what the last full collection kept alive
 * (`HEAP_CRESCITA`, percent, default 50; 0 keeps V8's own rule). V8 lets it grow up to about four
 * times that on a machine with memory to spare: at the regional scale the live set is 300-450 MB
 * while pages are computed, and the peak RSS was 1,242 MB with V8's rule against 700 MB at 50 %,
 * every page's p95 within 20 ms of the other run (the same code and data, minutes apart,
 * docs/bench.md). A growth rule, not a limit: a larger live set still gets its memory, collected
 * more often; no page can make the process run out of heap because of it. Read by V8 at each
 * collection, so it may be set after start-up.
 */
export function limitaCrescitaHeap(percento: number): void {
  if (percento > 0) v8.setFlagsFromString(`--heap-growing-percent=${percento}`);
}
