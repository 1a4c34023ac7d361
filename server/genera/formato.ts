/**
 * How values are spelled in the generated files. Real SIZ and spreadsheet exports mix
 * formats, and the contract accepts all of these, so the data set uses them (with
 * their own random stream, so the spelling never changes the content).
 */
import { isoFromDay, itFromDay } from './date';
import { Rng } from './rng';

export class Formato {
  constructor(private readonly rng: Rng) {}

  /** ~5% of dates as DD/MM/YYYY. */
  data(day: number | null): string {
    if (day == null) return '';
    return this.rng.chance(0.05) ? itFromDay(day) : isoFromDay(day);
  }

  /** Amount in cents: mostly `1234.56`, some `1.234,56`, `12,50`, `€ 12,50`, `12,50 €`. */
  importo(cents: number | null): string {
    if (cents == null) return '';
    const neg = cents < 0;
    const abs = Math.abs(cents);
    const int = Math.floor(abs / 100);
    const dec = String(abs % 100).padStart(2, '0');
    const sign = neg ? '-' : '';
    const u = this.rng.next();
    if (u < 0.9) return `${sign}${int}.${dec}`;
    const it = `${sign}${String(int).replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${dec}`;
    if (u < 0.96) return it;
    if (u < 0.98) return `€ ${it}`;
    return `${it} €`;
  }

  /** A recovery: mostly empty when zero (default 0), sometimes an explicit 0. */
  recupero(cents: number): string {
    if (cents === 0) return this.rng.chance(0.85) ? '' : this.rng.pick(['0', '0.00', '0,00']);
    return this.importo(cents);
  }

  /** ~10% of CFs in lower case or with spaces: still valid after normalization. */
  cf(cf: string): string {
    const u = this.rng.next();
    if (u < 0.05) return cf.toLowerCase();
    if (u < 0.08) return `${cf.slice(0, 3)} ${cf.slice(3, 6)} ${cf.slice(6, 11)} ${cf.slice(11)}`;
    if (u < 0.1) return ` ${cf} `.toLowerCase();
    return cf;
  }

  bool(value: boolean): string {
    if (value) return this.rng.weighted([['si', 40], ['1', 20], ['x', 15], ['SI', 10], ['sì', 5], ['true', 5], ['S', 5]] as const);
    return this.rng.weighted([['', 70], ['no', 15], ['0', 10], ['N', 5]] as const);
  }

  /** Area utenza: canonical plural, some singular / capitalised forms (all accepted). */
  area(area: string): string {
    if (area === '') return '';
    const u = this.rng.next();
    if (u < 0.85) return area;
    if (u < 0.92) return area[0].toUpperCase() + area.slice(1);
    if (u < 0.96) return area.toUpperCase();
    const singolare: Record<string, string> = { minori: 'minore', adulti: 'adulto', anziani: 'anziano' };
    return u < 0.98 ? singolare[area] : singolare[area][0].toUpperCase() + singolare[area].slice(1);
  }

  /** Counts in the census: `1.234` with a dot as thousands separator for some large values. */
  conteggio(n: number): string {
    if (n >= 1000 && this.rng.chance(0.5)) return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
    return String(n);
  }

  chance(p: number): boolean {
    return this.rng.chance(p);
  }
}
