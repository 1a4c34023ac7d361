/**
 * CopyText (bulk.ts) writes the COPY text of a batch as bytes: it must be exactly the text of
 * csvField joined by `,` and `\n`, the form the imports' tables were loaded from before, for every
 * kind of value (ASCII, accents, emoji, quotes, separators, line breaks, backslashes, `\.`).
 */
import { CopyText, csvField } from '../../server/importazione/bulk';

/** A deterministic generator (the test must not depend on chance). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PEZZI = ['A1.16', '2024-01-31', '238.6', 'RSSMRA80A01E648X', 'testo', ' ', ',', ';', '"', '""', '\n', '\r', '\r\n', '\\', '\\.', '.', 'è', 'Città', '€', '😀', '\u00a0', '\u2028', 'x'.repeat(300)];

function valore(r: () => number): unknown {
  const u = r();
  if (u < 0.1) return null;
  if (u < 0.15) return undefined;
  if (u < 0.2) return r() < 0.5;
  if (u < 0.3) return Math.round((r() - 0.3) * 1e8) / 100;
  if (u < 0.32) return [0, -0, 1e21, 1e-7, 123456789.01][Math.floor(r() * 5)];
  const n = 1 + Math.floor(r() * 4);
  let t = '';
  for (let i = 0; i < n; i++) t += PEZZI[Math.floor(r() * PEZZI.length)];
  return t;
}

const riferimento = (rows: unknown[][]) => rows.map((row) => row.map(csvField).join(',') + '\n').join('');

describe('CopyText', () => {
  test('the same bytes as csvField joined, for 20,000 rows of every kind of value', () => {
    const r = rng(20261204);
    const rows = Array.from({ length: 20_000 }, () => Array.from({ length: 1 + Math.floor(r() * 14) }, () => valore(r)));
    // Small buffers: the growth path runs too, not only the usual one.
    const text = new CopyText(64);
    const parts: Buffer[] = [];
    rows.forEach((row, i) => {
      text.row(row);
      if (i % 997 === 0) parts.push(text.take());
    });
    parts.push(text.take());
    expect(Buffer.concat(parts).toString('utf8')).toBe(riferimento(rows));
    expect(Buffer.concat(parts).equals(Buffer.from(riferimento(rows), 'utf8'))).toBe(true);
  });

  test('the edge values one by one', () => {
    const edge: unknown[] = ['\\.', '\\', '"', '', 'a"b', 'a,b', 'a\nb', 'a\rb', 'è"', '😀,', true, false, 0, -0, null, undefined, 'x'.repeat(100_000)];
    for (const v of edge) {
      const text = new CopyText(16);
      text.row([v, 'z']);
      expect(text.take().toString('utf8')).toBe(riferimento([[v, 'z']]));
    }
  });

  test('take hands the bytes over: writing goes on in another buffer', () => {
    const text = new CopyText(8);
    text.row(['abc']);
    const first = text.take();
    text.row(['xyz']);
    expect(first.toString('utf8')).toBe('abc\n');
    expect(text.take().toString('utf8')).toBe('xyz\n');
    expect(text.length).toBe(0);
  });

  test('numbers: the text of String for cents, integers and everything else', () => {
    const r = rng(20261205);
    const values: number[] = [0, -0, 1, -1, 0.01, -0.01, 0.1, 0.07, 0.5, 9.99, 10, 100, 238.6, 238.65, 1e15, 1e14 - 0.01, -(1e13 + 0.05), 9999999999.99, 2 ** 31, 2 ** 53, 1 / 3, 0.001, 1e-7, 1e21, 123456789.01, NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE];
    for (let i = 0; i < 100_000; i++) {
      const scale = 10 ** Math.floor(r() * 16);
      const cents = Math.round((r() - 0.3) * scale);
      values.push(cents / 100, cents, Math.round((r() - 0.5) * scale * 100) / 100, (r() - 0.5) * scale);
    }
    const text = new CopyText(32);
    for (let i = 0; i < values.length; i += 7) text.row(values.slice(i, i + 7));
    const rows: unknown[][] = [];
    for (let i = 0; i < values.length; i += 7) rows.push(values.slice(i, i + 7));
    expect(text.take().toString('utf8')).toBe(riferimento(rows));
  });
});
