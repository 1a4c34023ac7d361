import { dimensione } from './dimensione';

/**
 * get-or-compute that keeps what it computed while the kept values fit in `maxByte`
 * (approximate bytes, server/cruscotto/dimensione.ts), and from then on computes without keeping,
 * until the generation (the data version) changes and it starts empty again.
 *
 * Why not the pages' LRU (cache.ts): «Anni a confronto» reads the raw figures of every year of
 * three families in the same order for every selection. An LRU smaller than all of them evicts,
 * on each pass, exactly the entries the next pass needs first, and never hits; this store keeps
 * the first ones and hits on them. On an ambito every year fits (the scorecard of the next comune
 * reads nothing); a region's fit too since they are kept as columns (righe-compatte.ts), a larger
 * data set keeps a part (docs/bench.md, memory).
 */
export class Riserva<V> {
  private voci = new Map<string, Promise<V>>();
  private totale = 0;
  private generazione: string | null = null;

  constructor(private readonly maxByte: number) {}

  /** The entries kept (in flight included) and their bytes. */
  get stato(): { voci: number; byte: number } {
    return { voci: this.voci.size, byte: this.totale };
  }

  get(generazione: string, key: string, compute: () => Promise<V>): Promise<V> {
    if (generazione !== this.generazione) {
      this.voci = new Map();
      this.totale = 0;
      this.generazione = generazione;
    }
    const voci = this.voci;
    const hit = voci.get(key);
    if (hit) return hit;
    const p = compute();
    voci.set(key, p); // concurrent requests share the computation
    p.then(
      (v) => {
        if (voci !== this.voci || voci.get(key) !== p) return; // another generation since
        const peso = dimensione(v);
        if (this.totale + peso > this.maxByte) voci.delete(key);
        else this.totale += peso;
      },
      () => {
        if (voci.get(key) === p) voci.delete(key); // a failure is not kept
      },
    );
    return p;
  }
}
