/**
 * The default nomenclature (fixtures/nomenclatore.csv), used to know which codes are
 * meals-on-wheels / transport: the census values are computed from the generated rows
 * with exactly the lookup rule of the data contract (code, then its parents).
 */
import path from 'node:path';
import { fixturesDir, readSmallCsv } from './fixtures';

export class Nomenclatore {
  private readonly flags = new Map<string, boolean>();
  private readonly descr = new Map<string, string>();

  constructor(file = path.join(fixturesDir(), 'nomenclatore.csv')) {
    for (const r of readSmallCsv(file)) {
      this.flags.set(r.codice.toUpperCase(), /^(1|si|sì|s|true|x)$/i.test(r.pasti_trasporti ?? ''));
      this.descr.set(r.codice.toUpperCase(), r.descrizione ?? '');
    }
  }

  /** The code part of a `codice_prestazione` cell: before the first '-' or space. */
  static codice(raw: string): string {
    return raw.trim().split(/[-\s]/)[0].toUpperCase();
  }

  private lookup(raw: string): string | null {
    let code = Nomenclatore.codice(raw);
    for (;;) {
      if (this.flags.has(code)) return code;
      const dot = code.lastIndexOf('.');
      if (dot < 0) return null;
      code = code.slice(0, dot);
    }
  }

  pastiTrasporti(raw: string): boolean {
    const c = this.lookup(raw);
    return c != null && this.flags.get(c) === true;
  }

  conosciuto(raw: string): boolean {
    return this.lookup(raw) != null;
  }

  descrizione(code: string): string {
    return this.descr.get(code) ?? '';
  }
}
