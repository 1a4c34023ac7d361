/**
 * Roughly how many bytes of heap a value holds (server/cruscotto/cache.ts bounds its memos by
 * it): strings by their length, objects, arrays, Maps and Sets by their slots, each object once.
 * An estimate in the order of V8's own sizes (64-bit, no pointer compression), enough to keep a
 * cache of regional documents and data from growing without bound; never an exact figure.
 */
export function dimensione(v: unknown): number {
  const visti = new WeakSet<object>();
  const pila: unknown[] = [v];
  let byte = 0;
  while (pila.length) {
    const x = pila.pop();
    if (typeof x === 'string') byte += 16 + x.length;
    else if (typeof x === 'number') byte += 16; // a slot and, for a fraction, a boxed double
    else if (typeof x === 'bigint') byte += 24;
    else if (x !== null && typeof x === 'object') {
      if (visti.has(x)) continue;
      visti.add(x);
      if (x instanceof Map) {
        byte += 48 + 40 * x.size;
        for (const [k, w] of x) pila.push(k, w);
      } else if (x instanceof Set) {
        byte += 48 + 32 * x.size;
        for (const w of x) pila.push(w);
      } else if (Array.isArray(x)) {
        byte += 32 + 8 * x.length;
        for (const w of x) pila.push(w);
      } else if (ArrayBuffer.isView(x)) byte += 64 + x.byteLength;
      else if (x instanceof Promise || x instanceof Date) byte += 32;
      else {
        // A plain object: its property names are shared (the same shape), its values are not.
        const valori = Object.values(x);
        byte += 24 + 8 * valori.length;
        for (const w of valori) pila.push(w);
      }
    }
  }
  return byte;
}
