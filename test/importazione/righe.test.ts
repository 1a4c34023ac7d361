/**
 * csvRecords splits quote-free lines itself and hands the rest to csv-parse. These tests prove
 * that the records and their line numbers are exactly those csv-parse gives for the whole text,
 * whatever the chunking, on hand-written edge cases and on generated files.
 */
import { parse } from 'csv-parse/sync';
import { csvRecords, RecordsError, SourceRecord } from '../../server/importazione/righe';
import { readCsv } from '../../server/importazione/csv';
import { SPEC } from '../../server/importazione/schede';
import { ProblemList } from '../../server/importazione/problemi';
import { tempFiles } from '../support/files';
import path from 'node:path';

/** The text cut into pieces of `size` characters (never inside a character), as UTF-8 buffers. */
async function* chunked(text: string, size: number): AsyncGenerator<Buffer> {
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i += size) yield Buffer.from(chars.slice(i, i + size).join(''), 'utf8');
}

async function viaCsvRecords(text: string, delimiter: string, size: number) {
  const records: SourceRecord[] = [];
  const errors: RecordsError[] = [];
  for await (const batch of csvRecords(chunked(text, size), delimiter, (e) => errors.push(e))) records.push(...batch);
  return { records, errors };
}

/** What csv-parse alone gives for the whole text, with lines counted the same way. */
function reference(text: string, delimiter: string): SourceRecord[] {
  const all = parse(text, { delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, record_delimiter: ['\r\n', '\n'] }) as string[][];
  const out: SourceRecord[] = [];
  let line = 1;
  for (const fields of all) {
    const at = line;
    line += 1 + fields.reduce((n, f) => n + f.split('\n').length - 1, 0);
    if (!(fields.length === 1 && fields[0] === '')) out.push({ fields, line: at });
  }
  return out;
}

/** Deterministic pseudo-random numbers (mulberry32): the same files on every run. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('csvRecords', () => {
  test('quote-free lines: LF, CRLF, BOM, empty lines, missing final newline', async () => {
    const text = '\ufeffa;b;c\r\n1;2;3\r\n\r\n4;;6\n\n\n7;8\n9;10;11;12';
    const { records, errors } = await viaCsvRecords(text, ';', 4);
    expect(errors).toEqual([]);
    expect(records).toEqual([
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['1', '2', '3'], line: 2 },
      { fields: ['4', '', '6'], line: 4 },
      { fields: ['7', '8'], line: 7 },
      { fields: ['9', '10', '11', '12'], line: 8 },
    ]);
    expect(records).toEqual(reference(text, ';'));
  });

  test('a quoted field with delimiters and line breaks, appearing after plain lines, keeps the lines right', async () => {
    const text = 'id;nota\nA1;semplice\nA2;"con ; e\r\naccapo e ""virgolette"""\nA3;dopo\n';
    const { records, errors } = await viaCsvRecords(text, ';', 7);
    expect(errors).toEqual([]);
    expect(records).toEqual([
      { fields: ['id', 'nota'], line: 1 },
      { fields: ['A1', 'semplice'], line: 2 },
      { fields: ['A2', 'con ; e\r\naccapo e "virgolette"'], line: 3 },
      { fields: ['A3', 'dopo'], line: 5 },
    ]);
    expect(records).toEqual(reference(text, ';'));
  });

  test('a stray quote inside an unquoted field is kept as text', async () => {
    const text = 'id,nota\nA1,monitor 12" nuovo\nA2,x\n';
    const { records, errors } = await viaCsvRecords(text, ',', 100);
    expect(errors).toEqual([]);
    expect(records.map((r) => r.fields[1])).toEqual(['nota', 'monitor 12" nuovo', 'x']);
    expect(records).toEqual(reference(text, ','));
  });

  test('a quote opened and never closed is reported at its line', async () => {
    const text = 'id;nota\nA1;ok\nA2;"aperta\nA3;x\n';
    const { records, errors } = await viaCsvRecords(text, ';', 3);
    expect(records.map((r) => r.fields[0])).toEqual(['id', 'A1']);
    expect(errors).toHaveLength(1);
    expect(errors[0].reason).toMatch(/virgolette aperte e mai chiuse/);
    expect(errors[0].line).toBe(3);
  });

  test('200 generated files, cut in chunks of every size, give exactly what csv-parse gives', async () => {
    const rand = rng(20261122);
    const pieces = ['a', 'à', 'Zoë', ' ', ';', ',', '"', '\n', '\r\n', '1', '€'];
    let quoted = 0;
    for (let f = 0; f < 200; f++) {
      const delimiter = rand() < 0.5 ? ';' : ',';
      const eol = rand() < 0.5 ? '\n' : '\r\n';
      // Half of the files have no quotes at all (the fast path only), half quote some fields.
      const quotes = f % 2 === 1;
      const lines: string[] = [];
      const n = 1 + Math.floor(rand() * 30);
      for (let r = 0; r < n; r++) {
        if (rand() < 0.08) {
          lines.push('');
          continue;
        }
        const fields: string[] = [];
        const k = 1 + Math.floor(rand() * 5);
        for (let c = 0; c < k; c++) {
          let v = '';
          const len = Math.floor(rand() * 4);
          for (let i = 0; i < len; i++) v += pieces[Math.floor(rand() * pieces.length)];
          const special = v.includes(delimiter) || v.includes('"') || v.includes('\n');
          if (quotes && (special || rand() < 0.2)) {
            fields.push('"' + v.replace(/"/g, '""') + '"');
            quoted++;
          } else fields.push(v.replace(/["\r\n]/g, '').split(delimiter).join(''));
        }
        lines.push(fields.join(delimiter));
      }
      const text = (rand() < 0.2 ? '\ufeff' : '') + lines.join(eol) + (rand() < 0.7 ? eol : '');
      const expected = reference(text, delimiter);
      for (const size of [1, 2, 5, 17, 1000]) {
        const { records, errors } = await viaCsvRecords(text, delimiter, size);
        expect(errors).toEqual([]);
        expect(records).toEqual(expected);
      }
    }
    expect(quoted).toBeGreaterThan(100); // the slow path was exercised too
  });

  test('lines whose quoted fields are quoted whole are split by hand, anything else still reads as csv-parse reads it', async () => {
    // By hand: whole quoted fields, doubled quotes, an empty quoted field, a quoted line alone.
    const plain = 'id;importo;nota\nP1;"238,60";"a ""b"""\nP2;"";x\n"";\n""\nP3;"1;2";"\r"\n';
    expect((await viaCsvRecords(plain, ';', 1000)).records).toEqual(reference(plain, ';'));
    expect((await viaCsvRecords(plain, ';', 1000)).records[1]).toEqual({ fields: ['P1', '238,60', 'a "b"'], line: 2 });
    // Near misses that only csv-parse may read: text after a closing quote, a quote opened late
    // in a field, an odd run of quotes, a space before the opening quote.
    const rand = rng(20261203);
    const pieces = ['"', '""', 'a', ';', ' ', '\r', 'é', '"x"', ';"', '";'];
    let compared = 0;
    for (let f = 0; f < 300; f++) {
      const lines: string[] = ['id;a;b'];
      for (let r = 0; r < 1 + Math.floor(rand() * 6); r++) {
        let l = 'R' + r + ';';
        for (let i = 0; i < Math.floor(rand() * 6); i++) l += pieces[Math.floor(rand() * pieces.length)];
        lines.push(l);
      }
      const text = lines.join('\n') + '\n';
      let expected: SourceRecord[];
      try {
        expected = reference(text, ';');
      } catch {
        continue; // a file csv-parse refuses: covered by the unclosed-quote tests
      }
      for (const size of [3, 1000]) expect((await viaCsvRecords(text, ';', size)).records).toEqual(expected);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });

  test('readCsv reports an unclosed quote as file:line and keeps the rows before it', async () => {
    const dir = tempFiles({ 'accessi.csv': 'id_accesso;data_accesso;motivo_accesso\nA1;2024-01-01;x\nA2;2024-01-02;"aperta\nA3;2024-01-03;y\n' });
    const problems = new ProblemList();
    const seen: string[] = [];
    await readCsv({ file: path.join(dir, 'accessi.csv'), spec: SPEC.accessi, problems, warnings: [], onRow: (v) => void seen.push(v.id_accesso as string) });
    expect(seen).toEqual(['A1']);
    expect(problems.lines().join('\n')).toMatch(/^accessi\.csv:3:0: virgolette aperte e mai chiuse/);
  });

  test('a bad byte in a later chunk: that one problem, every line before it read whole (none looks cut short)', async () => {
    // Lines of 64 bytes, 44 of them the id: wherever a chunk of the reader ends, it is most
    // likely inside an id, and the reading used to stop there, so the line it had begun looked
    // cut short («la riga ha 1 campi...»), a problem that was not in the file.
    const riga = (i: number) => `A${String(i).padStart(43, '0')};2024-01-01;motivo${String(i % 10)}\n`;
    expect(riga(1)).toHaveLength(64);
    for (const k of [1100, 2500, 3000, 4200]) {
      const linee = Array.from({ length: 5000 }, (_, i) => riga(i + 1));
      const prima = Buffer.from('id_accesso;data_accesso;motivo_accesso\n' + linee.slice(0, k - 1).join(''));
      const dopo = Buffer.from(linee.slice(k).join(''));
      // Line k + 1 of the file (the header is line 1): its id's third byte is not UTF-8.
      const rotta = Buffer.concat([Buffer.from(riga(k).slice(0, 2)), Buffer.from([0xff]), Buffer.from(riga(k).slice(3))]);
      const dir = tempFiles({ 'accessi.csv': Buffer.concat([prima, rotta, dopo]) });
      const problems = new ProblemList();
      let righe = 0;
      await readCsv({ file: path.join(dir, 'accessi.csv'), spec: SPEC.accessi, problems, warnings: [], onRow: () => void righe++ });
      expect({ k, problemi: problems.lines(), righe }).toEqual({ k, problemi: [`accessi.csv:${k + 1}:1: il file non è in codifica UTF-8 (salvarlo come "CSV UTF-8")`], righe: k - 1 });
    }
  });

  test('readCsv on a file of several read chunks: accents across chunk edges, a quoted field late, a bad byte located', async () => {
    // ~270 KB: the reader's 64 KB buffer is reused, and csv-parse takes over at line 1,501.
    const rows: string[][] = [['id_accesso', 'data_accesso', 'motivo_accesso']];
    for (let i = 1; i <= 3000; i++) {
      const motivo = i === 1500 ? '"due righe; ""citata""\nfine"' : `perché è così ${'à'.repeat(i % 50)} n.${i}`;
      rows.push([`A${i}`, '2024-01-01', motivo]);
    }
    const text = rows.map((r) => r.join(';')).join('\n') + '\n';
    expect(Buffer.byteLength(text)).toBeGreaterThan(4 * 64 * 1024);
    const dir = tempFiles({ 'accessi.csv': text, 'rotto.csv': Buffer.concat([Buffer.from(text), Buffer.from([0xff]), Buffer.from('\n')]) });
    const seen: { id: string; motivo: string; line: number }[] = [];
    const problems = new ProblemList();
    await readCsv({ file: path.join(dir, 'accessi.csv'), spec: SPEC.accessi, problems, warnings: [], onRow: (v, riga) => void seen.push({ id: v.id_accesso as string, motivo: v.motivo_accesso as string, line: riga.line }) });
    expect(problems.lines()).toEqual([]);
    expect(seen).toHaveLength(3000);
    for (const i of [1, 777, 1499, 2999, 3000]) expect(seen[i - 1]).toEqual({ id: `A${i}`, motivo: `perché è così ${'à'.repeat(i % 50)} n.${i}`, line: i + (i > 1500 ? 2 : 1) });
    expect(seen[1499]).toEqual({ id: 'A1500', motivo: 'due righe; "citata"\nfine', line: 1501 });

    const bad = new ProblemList();
    await readCsv({ file: path.join(dir, 'rotto.csv'), spec: SPEC.accessi, problems: bad, warnings: [], onRow: () => undefined });
    expect(bad.lines()).toEqual(['rotto.csv:3003:1: il file non è in codifica UTF-8 (salvarlo come "CSV UTF-8")']);
  });
});

