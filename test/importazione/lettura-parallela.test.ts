/**
 * A large file read by several worker threads (lettura-parallela.ts) gives exactly the report,
 * and loads exactly the rows, of the same file read by one thread: each extract below is
 * imported both ways on a clean database and everything is compared (outcome or rejection with
 * its problems in order and warnings, the loaded tables, siz_tabelle). The size threshold is
 * set to 0 so that small files are split; `parte2` checks the file was really split where the
 * test means.
 * What the parts write into the file's one COPY, the primary key across the parts and the undoing
 * of a failed reading are checked on both engines; the cases about the reading itself (where a
 * file is cut, its problems and their order, line endings, bytes) do not depend on the engine and
 * run on one: PostgreSQL when there is one, else PGlite.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeDb, ENGINES, TestDb, truncateAll } from '../support/db';
import { tempFiles } from '../support/files';
import { CF, seedComuni } from '../support/fixtures';
import { importSiz } from '../../server/importazione/siz';
import { ImportRejected } from '../../server/importazione/problemi';
import { impostazioni, pianoParallelo } from '../../server/importazione/lettura-parallela';
import { SPEC } from '../../server/importazione/schede';
import { ImportFailed } from '../../server/importazione/registro';

const HEADER = 'id_accesso;codice_fiscale;codice_istat;data_accesso;area_utenza;problema_riscontrato';

function riga(i: number, extra: Partial<{ id: string; data: string; nota: string }> = {}): string {
  return [extra.id ?? `A${String(i).padStart(5, '0')}`, CF.mario, '098031', extra.data ?? `2024-0${1 + (i % 9)}-1${i % 10}`, 'adulti', extra.nota ?? `nota ${i}`].join(';');
}

/** An extract whose accessi.csv is `accessi` (the other files small and valid). */
function estratto(accessi: string | Buffer): string {
  return tempFiles({
    'cartelle.csv': 'id_cartella;codice_istat;data_apertura\nC1;098031;2020-01-01\n',
    'membri.csv': `id_cartella;codice_fiscale\nC1;${CF.mario}\n`,
    'accessi.csv': accessi,
    'estrazione.txt': '2026-11-22\n',
  });
}

/** The first line of the second part of the file as split in two, or null if it is not split. */
function parte2(dir: string): number | null {
  impostazioni.sogliaByte = 0;
  const piano = pianoParallelo(path.join(dir, 'accessi.csv'), 'accessi.csv', SPEC.accessi, undefined, 2);
  return piano ? piano.parti[1].firstLine : null;
}

async function esito(db: TestDb, dir: string): Promise<unknown> {
  const r = await importSiz(db, dir).then(
    (o) => ({ ok: { messaggio: o.messaggio, righe: o.righe, avvisi: o.avvisi } }),
    (e: unknown) => (e instanceof ImportRejected ? { rifiutata: { messaggio: e.message, problemi: e.problemLines(), avvisi: e.warnings } } : { errore: String(e) }),
  );
  const accessi = await db.knex('accessi').select('*').orderBy('riga');
  const tabelle = await db.knex('siz_tabelle').select('tabella', 'checksum', 'righe').orderBy('tabella');
  return { r, accessi, tabelle };
}

describeDb('a large file read by several threads', (get, engine) => {
  /** A case about the reading alone: declared on one engine only (see above). */
  const lettura = (name: string, fn: () => Promise<void>) => {
    if (engine === ENGINES[ENGINES.length - 1]) test(name, fn);
  };
  const prima = { ...impostazioni };
  afterEach(() => Object.assign(impostazioni, prima));

  /** The same extract imported by one thread, then by `parti` threads: the same in everything. */
  async function uguali(dir: string, parti = 2): Promise<{ uno: unknown; piu: unknown }> {
    await truncateAll(get());
    await seedComuni(get());
    impostazioni.sogliaByte = Infinity;
    const uno = await esito(get(), dir);
    await truncateAll(get());
    await seedComuni(get());
    impostazioni.sogliaByte = 0;
    impostazioni.parti = parti;
    const piu = await esito(get(), dir);
    expect(piu).toEqual(uno);
    return { uno, piu };
  }

  const righe = (n: number, f: (i: number) => string = (i) => riga(i)) => Array.from({ length: n }, (_, i) => f(i + 1));

  test('a clean file: the same rows, counts and checksum, in 2 and in 3 parts', async () => {
    const dir = estratto([HEADER, ...righe(300)].join('\n') + '\n');
    expect(parte2(dir)).toBeGreaterThan(100);
    const { uno } = await uguali(dir);
    expect((uno as { accessi: unknown[] }).accessi).toHaveLength(300);
    await uguali(dir, 3);
  });

  lettura('problems in both halves: the same order, and the same cut at the limit', async () => {
    const few = righe(400, (i) => (i % 97 === 0 ? riga(i, { data: 'ieri' }) : riga(i)));
    const dir = estratto([HEADER, ...few].join('\n') + '\n');
    const { uno } = await uguali(dir);
    const problemi = (uno as { r: { rifiutata: { problemi: string[] } } }).r.rifiutata.problemi;
    expect(problemi).toHaveLength(4);
    expect(problemi[0]).toMatch(/^accessi\.csv:98:4: /);
    expect(problemi[3]).toMatch(/^accessi\.csv:389:4: /);
    // Beyond the 1,000 kept: every row bad, 1,500 of them, most in the second part.
    const many = estratto([HEADER, ...righe(1500, (i) => riga(i, { data: 'ieri' }))].join('\n') + '\n');
    const r = (await uguali(many)).uno as { r: { rifiutata: { problemi: string[]; messaggio: string } } };
    expect(r.r.rifiutata.problemi).toHaveLength(1001);
    expect(r.r.rifiutata.problemi[1000]).toBe('... e altri 500 problemi');
  });

  lettura('a quoted field with line breaks where the file is split; a problem after it on its physical line', async () => {
    const multi = `"${Array.from({ length: 150 }, (_, k) => `p ${k}`).join('\n')}"`;
    const lines = [HEADER, ...righe(100), riga(101, { nota: multi }), ...righe(100, (i) => riga(101 + i, i === 50 ? { data: 'ieri' } : {}))];
    const dir = estratto(lines.join('\n') + '\n');
    // Header, 100 rows, then the field over 150 lines (102-251) around the middle of the file:
    // the split comes after it.
    expect(parte2(dir)).toBeGreaterThan(251);
    const { uno } = await uguali(dir);
    expect((uno as { r: { rifiutata: { problemi: string[] } } }).r.rifiutata.problemi).toEqual(['accessi.csv:301:4: data_accesso: data non valida "ieri" (attesa AAAA-MM-GG oppure GG/MM/AAAA)']);
  });

  lettura('CRLF lines and a byte order mark', async () => {
    const dir = estratto(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([HEADER, ...righe(300)].join('\r\n') + '\r\n')]));
    expect(parte2(dir)).toBeGreaterThan(100);
    const { uno } = await uguali(dir);
    expect((uno as { r: { ok: unknown } }).r.ok).toBeDefined();
  });

  lettura('a byte that is not UTF-8 in the second half: the same line and column', async () => {
    const text = Buffer.from([HEADER, ...righe(300)].join('\n') + '\n');
    const at = text.indexOf('nota 250');
    text[at + 2] = 0xff;
    const dir = estratto(text);
    expect(parte2(dir)).toBeLessThan(251);
    const { uno } = await uguali(dir);
    expect((uno as { r: { rifiutata: { problemi: string[] } } }).r.rifiutata.problemi).toEqual(['accessi.csv:251:6: il file non è in codifica UTF-8 (salvarlo come "CSV UTF-8")']);
  });

  lettura('a byte that is not UTF-8 in the first half: read again by one thread, the same report', async () => {
    const text = Buffer.from([HEADER, ...righe(300, (i) => riga(i, i === 250 ? { data: 'ieri' } : {}))].join('\n') + '\n');
    text[text.indexOf('nota 20\n') + 2] = 0xff;
    const { uno } = await uguali(estratto(text));
    expect((uno as { r: { rifiutata: { problemi: string[] } } }).r.rifiutata.problemi).toEqual(['accessi.csv:21:6: il file non è in codifica UTF-8 (salvarlo come "CSV UTF-8")']);
  });

  test('duplicates across the two halves, found by the primary key', async () => {
    const dir = estratto([HEADER, ...righe(300, (i) => (i === 280 ? riga(i, { id: 'A00010' }) : riga(i)))].join('\n') + '\n');
    const { uno } = await uguali(dir);
    expect((uno as { r: { rifiutata: { problemi: string[] } } }).r.rifiutata.problemi).toEqual(['accessi.csv:281:1: id_accesso duplicato: già presente alla riga 11']);
  });

  lettura('the empty file, a file of the header only, a file of one row', async () => {
    for (const content of ['', `${HEADER}\n`, `${HEADER}\n${riga(1)}\n`, `${HEADER}\n${riga(1)}`]) await uguali(estratto(content));
  });

  test('a worker that throws, or ends its thread: the import fails with a message, nothing changed', async () => {
    await truncateAll(get());
    await seedComuni(get());
    const dir = estratto([HEADER, ...righe(300)].join('\n') + '\n');
    impostazioni.sogliaByte = 0;
    impostazioni.parti = 2;
    for (const come of ['throw', 'exit'] as const) {
      impostazioni.guasto = { dopo: 20, come };
      const err = await importSiz(get(), dir).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(ImportFailed);
      expect((err as Error).message).toMatch(come === 'throw' ? /la lettura di accessi\.csv si è interrotta \(righe da \d+\): guasto di prova del lettore/ : /il thread di lettura è terminato \(codice 3\)/);
      expect(Number((await get().knex('accessi').count('* as n'))[0].n)).toBe(0);
      expect(await get().knex('siz_tabelle').select('*')).toEqual([]);
    }
    // And the next import works.
    impostazioni.guasto = undefined;
    const ok = await importSiz(get(), dir);
    expect(ok.righe.accessi).toBe(300);
    expect(fs.existsSync(dir)).toBe(true);
  });
});
