import v8 from 'node:v8';

/**
 * How far the JS heap of the web server may grow past what the last full collection kept alive
 * (`HEAP_CRESCITA`, percent; 0 keeps V8's own rule). V8 otherwise lets it grow up to about four
 * times that on a machine with memory to spare: at the regional scale the live set is 300-380 MB
 * and the heap climbed to 1.26 GB of mostly garbage before a full collection, a peak RSS of
 * 1.5 GB (docs/bench.md, "Memory"). This is a growth rule, not a limit: a larger live set
 * still gets its memory, collected more often; no page can make the process run out of heap
 * because of it. Read by V8 at each collection, so it may be set after start-up.
 */
export function limitaCrescitaHeap(percento: number): void {
  if (percento > 0) v8.setFlagsFromString(`--heap-growing-percent=${percento}`);
}
