/**
 * Fuzzing the SIZ import: a fixed seed, a few hundred mutations of a small valid extract, each
 * imported through importSiz (what `cruscotto import siz` calls). For every mutation:
 * - the outcome is an import (exit 0) or a rejection (exit 1, held included), never anything else;
 * - a rejection lists at least one `file:line:column: reason`, every line of it short;
 * - a NUL byte or a byte that is not UTF-8 is reported at the line and column where it was put;
 * - after a rejection, every table but the import log is exactly as before (a checksum of all rows);
 * - a file cut short (anywhere in its first 60%) or a row shorter than the header is never accepted.
 * Every mutation is made on every engine's run (the same sequence), and each is imported on one
 * engine: with PostgreSQL, the even ones on PGlite and the odd ones on PostgreSQL (each engine
 * still gets all kinds of mutation and all three outcomes, checked below); without, all on PGlite.
 * The reading and its report do not depend on the engine; what does (a rejection or a hold
 * changes nothing) is checked on each one, about 120 times.
 * A few mutations also go through the command: exit code 0 or 1 and no stack trace in what it
 * writes; one of them in a child process, as bin/cruscotto.js runs it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describeDb, ENGINES, migratedPgliteFolder, truncateAll } from '../support/db';
import { runCli } from '../support/cli';
import { seedComuni } from '../support/fixtures';
import { importSiz } from '../../server/importazione/siz';
import { ImportRejected, ImportSospesa } from '../../server/importazione/problemi';
import type { ImportOutcome } from '../../server/importazione/registro';
import { checksumTabelle, estratto } from './support/estratto';
import { mulberry32 as prng } from '../support/rng';

const SEED = 15;
const MUTATIONS = 240;
const FILES = ['cartelle.csv', 'membri.csv', 'accessi.csv', 'prestazioni.csv'];
const LOCATED = /^[a-z]+\.csv:[1-9]\d*:\d+: \S/;

interface Mutation {
  name: string;
  bytes: Buffer;
  /** A file cut short or a row missing fields: must not be accepted. */
  mustFail?: boolean;
  /** Where the bad byte is: the rejection must name this line and column. */
  at?: { line: number; column: number };
}

/** Line (1-based) and field (1-based, `;` outside quotes: the base data has none) of a byte offset. */
function locate(buf: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset; i++) {
    if (buf[i] === 0x0a) {
      line++;
      column = 1;
    } else if (buf[i] === 0x3b) column++;
  }
  return { line, column };
}

function mutate(base: Buffer, rnd: () => number): Mutation {
  const int = (n: number) => Math.floor(rnd() * n);
  const lines = base.toString('utf8').split('\n');
  lines.pop(); // the final line ending
  const lineOffsets: number[] = [];
  for (let i = 0, off = 0; i < lines.length; off += Buffer.byteLength(lines[i]) + 1, i++) lineOffsets.push(off);
  const dataLine = () => 1 + int(lines.length - 1); // index into lines, never the header
  const join = (ls: string[]) => Buffer.from(ls.join('\n') + '\n');
  const op = int(16);
  switch (op) {
    case 0: {
      // Cut anywhere in the first 60% (past the first byte): mid-line, mid-field or at a line break.
      const at = 1 + int(Math.floor(base.length * 0.6));
      return { name: `troncato a ${at} byte`, bytes: base.subarray(0, at), mustFail: true };
    }
    case 1: {
      // Cut exactly after a line ending, before 60% of the lines: valid CSV, a shrunken snapshot.
      const keep = 1 + int(Math.floor(lines.length * 0.6));
      return { name: `troncato dopo ${keep} righe`, bytes: join(lines.slice(0, keep)), mustFail: true };
    }
    case 2: {
      const i = dataLine();
      const fields = lines[i].split(';');
      const keep = 1 + int(fields.length - 1);
      const out = [...lines];
      out[i] = fields.slice(0, keep).join(';');
      return { name: `riga ${i + 1} con ${keep} campi`, bytes: join(out), mustFail: true };
    }
    case 3:
    case 4: {
      const at = int(base.length);
      const bad = op === 3 ? [0x00] : [[0xff], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]][int(6)];
      return { name: `byte ${bad.map((b) => b.toString(16)).join(' ')} a ${at}`, bytes: Buffer.concat([base.subarray(0, at), Buffer.from(bad), base.subarray(at)]), mustFail: true, at: locate(base, at) };
    }
    case 5: {
      const out = Buffer.from(base);
      const at = int(out.length);
      out[at] = 0x20 + int(95);
      return { name: `carattere ${out[at]} a ${at}`, bytes: out };
    }
    case 6: {
      const at = int(base.length);
      const what = [';', '"', '\n', '\r\n', '""', ',', '\ufeff', '€'][int(8)];
      return { name: `inserito ${JSON.stringify(what)} a ${at}`, bytes: Buffer.concat([base.subarray(0, at), Buffer.from(what), base.subarray(at)]) };
    }
    case 7: {
      const i = dataLine();
      const out = [...lines];
      out.splice(i, 0, lines[i]);
      return { name: `riga ${i + 1} ripetuta`, bytes: join(out) };
    }
    case 8: {
      const i = dataLine();
      const out = [...lines];
      out.splice(i, 1);
      return { name: `riga ${i + 1} tolta`, bytes: join(out) };
    }
    case 9: {
      const i = dataLine();
      const fields = lines[i].split(';');
      const f = int(fields.length);
      fields[f] = (fields[f] || 'x').repeat(1 + int(3000));
      const out = [...lines];
      out[i] = fields.join(';');
      return { name: `campo ${f + 1} della riga ${i + 1} allungato`, bytes: join(out) };
    }
    case 10: {
      const i = dataLine();
      const fields = lines[i].split(';');
      const f = int(fields.length);
      fields[f] = ['99999999999999999999', '-1', '1e400', '12.345.678.901,00', '31/02/2024', '2024-13-01', 'NaN', '0x10', '', ' ', 'Null', '=HYPERLINK("x")'][int(12)];
      const out = [...lines];
      out[i] = fields.join(';');
      return { name: `campo ${f + 1} della riga ${i + 1} = ${JSON.stringify(fields[f])}`, bytes: join(out) };
    }
    case 11: {
      const header = lines[0].split(';');
      const a = int(header.length);
      const out = [...lines];
      out[0] = [...header.slice(0, a), ...header.slice(a + 1)].join(';');
      return { name: `colonna ${a + 1} tolta dall'intestazione`, bytes: join(out) };
    }
    case 12:
      return { name: 'righe CRLF', bytes: Buffer.from(base.toString('utf8').replace(/\n/g, '\r\n')) };
    case 13: {
      const i = dataLine();
      const out = [...lines];
      out[i] = Buffer.from(Array.from({ length: 1 + int(200) }, () => int(256))).toString('latin1');
      return { name: `riga ${i + 1} sostituita da byte a caso`, bytes: Buffer.concat([Buffer.from(out.slice(0, i).join('\n') + '\n'), Buffer.from(out[i], 'latin1'), Buffer.from('\n' + out.slice(i + 1).join('\n') + '\n')]) };
    }
    case 14:
      return { name: 'senza a capo finale', bytes: base.subarray(0, base.length - 1) };
    default: {
      const at = lineOffsets[dataLine()];
      return { name: `virgolette aperte alla riga ${locate(base, at).line}`, bytes: Buffer.concat([base.subarray(0, at), Buffer.from('"'), base.subarray(at)]) };
    }
  }
}

type Counts = { accettate: number; rifiutate: number; sospese: number };
/** The outcomes of each engine's share of the mutations. */
const perEngine: Record<string, Counts> = {};

describeDb('fuzz: mutated SIZ extracts', (get, engine) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-fuzz-'));
  const baseDir = path.join(tmp, 'base');
  const files = estratto();
  beforeAll(() => {
    fs.mkdirSync(baseDir);
    for (const [n, c] of Object.entries(files)) fs.writeFileSync(path.join(baseDir, n), c);
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const share = ENGINES.indexOf(engine);
  test(`seed ${SEED}, ${MUTATIONS} mutations (this engine: ${ENGINES.length > 1 ? `those = ${share} mod ${ENGINES.length}` : 'all'}): imported or rejected with file:line:column, nothing changed by a rejection, nothing cut short accepted`, async () => {
    await truncateAll(get());
    await seedComuni(get());
    expect((await importSiz(get(), baseDir)).esito).toBe('ok');
    const rnd = prng(SEED);
    const counts: Counts = (perEngine[engine] = { accettate: 0, rifiutate: 0, sospese: 0 });
    let loaded = await checksumTabelle(get().knex);
    for (let k = 0; k < MUTATIONS; k++) {
      const file = FILES[Math.floor(rnd() * FILES.length)];
      const m = mutate(Buffer.from(files[file]), rnd);
      if (k % ENGINES.length !== share) continue; // another engine's
      const what = `mutazione ${k} (${file}: ${m.name})`;
      const dir = path.join(tmp, `m${k}`);
      fs.mkdirSync(dir);
      for (const [n, c] of Object.entries(files)) fs.writeFileSync(path.join(dir, n), n === file ? m.bytes : c);

      const outcome: ImportOutcome | unknown = await importSiz(get(), dir).then(
        (o) => o,
        (e: unknown) => e,
      );
      if (outcome instanceof ImportRejected) {
        outcome instanceof ImportSospesa ? counts.sospese++ : counts.rifiutate++;
        const lines = outcome.problemLines();
        const report = outcome.report();
        if (!lines.some((l) => LOCATED.test(l))) throw new Error(`${what}: nessun file:riga:colonna in\n${report}`);
        expect({ what, long: lines.filter((l) => l.length > 400) }).toEqual({ what, long: [] });
        expect({ what, stack: /\n\s+at /.test(report) }).toEqual({ what, stack: false });
        if (m.at) expect({ what, first: lines[0].split(': ')[0] }).toEqual({ what, first: `${file}:${m.at.line}:${m.at.column}` });
        expect({ what, same: await checksumTabelle(get().knex) }).toEqual({ what, same: loaded });
        const row = await get().knex('importazioni').orderBy('id', 'desc').first('esito');
        expect({ what, esito: row.esito }).toEqual({ what, esito: outcome instanceof ImportSospesa ? 'sospesa' : 'rifiutata' });
      } else if (outcome instanceof Error || !outcome) {
        throw new Error(`${what}: né importata né rifiutata: ${String(outcome)}`);
      } else {
        const ok = outcome as ImportOutcome;
        if (m.mustFail) throw new Error(`${what}: accettata (${ok.messaggio})`);
        counts.accettate++;
        // Back to the base extract, so that every mutation is judged against the same tables.
        if (ok.esito === 'ok') await importSiz(get(), baseDir);
        loaded = await checksumTabelle(get().knex);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
    if (process.env.FUZZ_DEBUG) process.stderr.write(`${engine} ${JSON.stringify(counts)}\n`);
    // Each kind of outcome happens on this engine too.
    expect(counts.accettate).toBeGreaterThan(20 / ENGINES.length);
    expect(counts.rifiutate).toBeGreaterThan(100 / ENGINES.length);
    expect(counts.sospese).toBeGreaterThan(5 / ENGINES.length);
  }, 240_000);
});

// After the engines' runs above (jest runs a file's blocks in order).
describe('fuzz: all the engines together', () => {
  test(`the outcomes of all ${MUTATIONS} mutations`, () => {
    expect(Object.keys(perEngine).sort()).toEqual([...ENGINES].sort());
    const total = (k: keyof Counts) => Object.values(perEngine).reduce((n, c) => n + c[k], 0);
    expect(total('accettate') + total('rifiutate') + total('sospese')).toBe(MUTATIONS);
    // The mix is what the seed gives; each kind of outcome happens.
    expect(total('accettate')).toBeGreaterThan(20);
    expect(total('rifiutate')).toBeGreaterThan(100);
    expect(total('sospese')).toBeGreaterThan(5);
  });
});

describe('fuzz: the command on a few mutations [pglite]', () => {
  test('exit code 0 or 1, file:line:column on stderr, no stack trace; in a child process too', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-fuzz-cli-'));
    const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };
    try {
      const files = estratto();
      const write = (name: string, over: Record<string, Buffer | string> = {}) => {
        const dir = path.join(tmp, name);
        fs.mkdirSync(dir);
        for (const [n, c] of Object.entries({ ...files, ...over })) fs.writeFileSync(path.join(dir, n), c);
        return dir;
      };
      const bin = path.resolve(__dirname, '..', '..', 'bin', 'cruscotto.js');
      await migratedPgliteFolder(path.join(tmp, 'data', 'db'));
      const env = { DATA_DIR: path.join(tmp, 'data'), DATABASE_URL: '' };
      // In this process, the command's main() as bin/cruscotto.js calls it (each child process
      // costs seconds: tsx and PGlite's WebAssembly); one case below runs in a child process.
      Object.assign(process.env, env);
      const base = await runCli(['import', 'siz', write('base')]);
      expect(base.code).toBe(0);
      expect(base.err).not.toMatch(/\n\s+at /);

      const accessi = Buffer.from(files['accessi.csv']);
      const cartelle = files['cartelle.csv'];
      const nul = locate(accessi, 3000);
      const cases: [string, Record<string, Buffer | string>, RegExp, 'processo' | 'main'][] = [
        ['nul', { 'accessi.csv': Buffer.concat([accessi.subarray(0, 3000), Buffer.from([0]), accessi.subarray(3000)]) }, new RegExp(`^accessi\\.csv:${nul.line}:${nul.column}: il file è binario`, 'm'), 'processo'],
        ['troncato', { 'cartelle.csv': cartelle.slice(0, Math.floor(cartelle.length / 2)) }, /^cartelle\.csv:\d+:\d+: /m, 'main'],
      ];
      for (const [name, over, expected, how] of cases) {
        const dir = write(name, over);
        const r =
          how === 'processo'
            ? spawnSync(process.execPath, [bin, 'import', 'siz', dir], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 })
            : await runCli(['import', 'siz', dir]).then((x) => ({ status: x.code, stderr: x.err }));
        expect({ name, status: r.status }).toEqual({ name, status: 1 });
        expect(r.stderr).toMatch(expected);
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(r.stderr.length).toBeLessThan(4000);
      }
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 240_000);
});
