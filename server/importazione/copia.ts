/**
 * One value as a CSV field for COPY: NULL is an unquoted empty field, text is always quoted.
 * The reference for CopyText below, which writes the same bytes (test/importazione/copia.test.ts).
 */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  const t = String(v);
  // Quoting is needed only for the characters CSV gives a meaning to (empty text never reaches
  // here: an empty field is NULL).
  return /[",\n\r\\]/.test(t) || t === '\\.' ? '"' + t.replace(/"/g, '""') + '"' : t;
}

/**
 * The COPY text of a batch of rows written as UTF-8 bytes into one buffer, field by field:
 * exactly csvField's text joined by `,` and `\n`. Joining each batch's pieces into one string
 * (which the COPY stream then encoded again into bytes) was the largest item of a regional SIZ
 * import's profile, with building the pieces: 8.4 s of its 26 s of JavaScript (2026-12-04).
 * A field of plain ASCII, the usual one (codes, dates, amounts), is copied byte by byte; anything
 * else goes through Buffer.write.
 */
export class CopyText {
  private buf: Buffer;
  private off = 0;

  constructor(private readonly size = 256 * 1024) {
    this.buf = Buffer.allocUnsafe(size);
  }

  get length(): number {
    return this.off;
  }

  row(values: unknown[]): void {
    const n = values.length;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v !== null && v !== undefined) {
        if (typeof v === 'string') this.text(v);
        else if (typeof v === 'number') this.number(v);
        else if (typeof v === 'boolean') {
          this.room(1);
          this.buf[this.off++] = v ? 0x74 : 0x66; // t, f
        } else this.text(String(v));
      }
      this.room(1);
      this.buf[this.off++] = i === n - 1 ? 0x0a : 0x2c;
    }
  }

  private text(t: string): void {
    const len = t.length;
    // At most 3 bytes per UTF-16 unit (a doubled quote is 2), and the two quotes around.
    this.room(3 * len + 2);
    const buf = this.buf;
    // Copied byte by byte as long as it is plain ASCII (checked and copied in one pass); from the
    // first character that is not, what was copied is dropped and Buffer.write does it all.
    let o = this.off;
    let plain = true;
    for (let i = 0; i < len; i++) {
      const c = t.charCodeAt(i);
      if (c >= 0x80 || c === 0x22 || c === 0x2c || c === 0x0a || c === 0x0d || c === 0x5c) {
        plain = false;
        break;
      }
      buf[o++] = c;
    }
    if (plain) {
      this.off = o;
      return;
    }
    let quote = false;
    for (let i = 0; i < len && !quote; i++) {
      const c = t.charCodeAt(i);
      quote = c === 0x22 || c === 0x2c || c === 0x0a || c === 0x0d || c === 0x5c;
    }
    // csvField quotes `\.` too, which has a backslash: covered by `quote`.
    this.off += buf.write(quote ? '"' + t.replace(/"/g, '""') + '"' : t, this.off, 'utf8');
  }

  /**
   * A number as String(v) writes it, without the string: the whole cents of an amount (what the
   * imports write: integers and values rounded to the cent) are written digit by digit. String
   * of a double was the largest part of writing a regional extract's COPY text (17 M amounts
   * and line numbers, about 2.5 s of CPU of the erogazioni alone: docs/bench.md, 2026-12-05).
   * Below 10^15 cents a value that is c/100 has c/100's decimals, trailing zeros dropped, as its
   * shortest round-trip text, which is String's; anything else goes through String.
   */
  private number(v: number): void {
    const c = Math.round(v * 100);
    if (c / 100 !== v || !(Math.abs(c) < 1e15)) {
      this.text(String(v));
      return;
    }
    this.room(20);
    const buf = this.buf;
    let a = Math.abs(c);
    if (v < 0) buf[this.off++] = 0x2d; // -0 is written 0, as String writes it
    const frac = a % 100;
    a = (a - frac) / 100;
    // The integer part's digits, written backwards after counting them.
    let n = 1;
    for (let x = a; x >= 10; x = Math.floor(x / 10)) n++;
    let o = this.off + n;
    this.off = o;
    do {
      const d = a % 10;
      buf[--o] = 0x30 + d;
      a = (a - d) / 10;
    } while (a > 0);
    if (frac !== 0) {
      buf[this.off++] = 0x2e;
      buf[this.off++] = 0x30 + Math.floor(frac / 10);
      if (frac % 10 !== 0) buf[this.off++] = 0x30 + (frac % 10);
    }
  }

  /** Makes room for n more bytes: a larger buffer with what was written. */
  private room(n: number): void {
    if (this.off + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.off + n));
    this.buf.copy(bigger, 0, 0, this.off);
    this.buf = bigger;
  }

  /** The bytes written, handed over (the sink may keep them): writing starts again in a new buffer. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.off);
    this.buf = Buffer.allocUnsafe(Math.max(this.size, this.off));
    this.off = 0;
    return out;
  }
}
