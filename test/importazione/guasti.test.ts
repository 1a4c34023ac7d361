/**
 * Database faults end cleanly: an import interrupted by the database exits 1 with an Italian
 * message and no stack trace, its row says it failed (written then, or at the next start), and
 * the data is as before. An error nothing caught stops the process with a message.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import knexFactory from 'knex';
import { describeDb, truncateAll } from '../support/db';
import { tempFiles } from '../support/files';
import { seedComuni } from '../support/fixtures';
import { tryJobLock } from '../../jobs/lock';
import { closeInterruptedImports, ImportFailed } from '../../server/importazione/registro';
import { importSiz } from '../../server/importazione/siz';
import { databaseAssente, guastoDatabase } from '../../server/shared/guasti';
import { buildCf } from '../../server/shared/cf';
import { checksumTabelle, estratto } from './support/estratto';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'cruscotto.js');

describe('database faults in Italian', () => {
  test('PostgreSQL codes, socket errors and knex timeouts', () => {
    const err = (code: string, message = 'x') => Object.assign(new Error(message), { code });
    expect(guastoDatabase(err('57P01', 'terminating connection due to administrator command'))).toBe('il database è stato arrestato o riavviato e ha chiuso la connessione');
    expect(guastoDatabase(err('54000', 'index row requires 11472 bytes, maximum size is 8191'))).toBe('un valore supera i limiti del database (ad esempio un identificativo troppo lungo per un indice)');
    expect(guastoDatabase(err('ECONNREFUSED'))).toBe('il database non risponde (connessione rifiutata): è spento o in riavvio');
    expect(guastoDatabase(err('22P05'))).toBe("il database ha rifiutato l'operazione (codice 22P05)");
    expect(guastoDatabase(new Error('Connection terminated unexpectedly'))).toBe('la connessione al database si è interrotta');
    expect(guastoDatabase(Object.assign(new Error('Timeout acquiring a connection'), { name: 'KnexTimeoutError' }))).toBe('il database non risponde (nessuna connessione disponibile)');
    expect(guastoDatabase(new TypeError('x is undefined'))).toBeNull();
    expect([err('57P01'), err('08006'), err('ECONNRESET')].every(databaseAssente)).toBe(true);
    expect([err('54000'), err('23505'), new Error('boh')].some(databaseAssente)).toBe(false);
    const f = ImportFailed.from(err('57P01'));
    expect(f.message).toBe("Importazione interrotta da un problema del database: il database è stato arrestato o riavviato e ha chiuso la connessione. Nessun dato è stato modificato; l'importazione è registrata come fallita e si può ripetere.");
    expect(f.databaseAssente).toBe(true);
  });

  test('an error nothing caught: one Italian line and a log line on stderr, exit code 1', () => {
    const script = `require(${JSON.stringify(path.resolve(__dirname, '..', '..', 'bin', 'tsx-register.js'))});
      require(${JSON.stringify(path.resolve(__dirname, '..', '..', 'server', 'guardia.ts'))}).installaGuardia();
      setTimeout(() => new (require('node:events'))().emit('error', new Error('flusso rotto')), 10);
      setTimeout(() => process.stdout.write('ancora vivo'), 2000);`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const [first, log] = r.stderr.trim().split('\n');
    expect(first).toBe('Errore imprevisto: flusso rotto. Il processo si ferma; le operazioni in corso saranno segnate come fallite al prossimo avvio.');
    expect(JSON.parse(log)).toMatchObject({ level: 60, origine: 'uncaughtException', err: { message: 'flusso rotto' } });
  });
});

describeDb('import rows left in_corso', (get) => {
  beforeEach(async () => {
    await truncateAll(get());
  });

  test('closed as failed at the next start when their process is gone; a live one (lock held) is left alone', async () => {
    const db = get();
    const [dead, live] = await db.knex('importazioni').insert([
      { tipo: 'siz', origine: '/x', avviato_il: new Date(), esito: 'in_corso', file: '[]' },
      { tipo: 'siz', origine: '/y', avviato_il: new Date(), esito: 'in_corso', file: '[]' },
    ]).returning('id');
    const lock = await tryJobLock(db, `importazione:${live.id}`);
    try {
      expect(await closeInterruptedImports(db)).toBe(1);
    } finally {
      await lock!.release();
    }
    const rows = await db.knex('importazioni').orderBy('id').select('id', 'esito', 'messaggio', 'concluso_il');
    expect(rows.map((r) => [r.id, r.esito])).toEqual([
      [dead.id, 'errore'],
      [live.id, 'in_corso'],
    ]);
    expect(rows[0].messaggio).toMatch(/^Importazione interrotta prima della fine \(processo fermato o database non raggiungibile\): nessun dato è stato modificato/);
    expect(rows[0].concluso_il).not.toBeNull();
  });

  test('an import refused by the database is a clean failure, recorded, data unchanged', async () => {
    const db = get();
    await seedComuni(db);
    await importSiz(db, tempFiles(estratto()));
    const before = await checksumTabelle(db.knex);
    // A trigger that refuses one value stands for any fault inside the database during the swap.
    await db.knex.raw(`create function rifiuta() returns trigger language plpgsql as $$ begin raise exception 'valore rifiutato' using errcode = '54000'; end $$`);
    await db.knex.raw(`create trigger rifiuta before insert on accessi for each row execute function rifiuta()`);
    try {
      const changed = estratto();
      changed['accessi.csv'] = changed['accessi.csv'].replace('Sportello 1', 'Sportello 7');
      const e = await importSiz(db, tempFiles(changed)).then(() => null, (x: unknown) => x);
      expect(e).toBeInstanceOf(ImportFailed);
      expect((e as ImportFailed).message).toBe(
        "Importazione interrotta da un problema del database: un valore supera i limiti del database (ad esempio un identificativo troppo lungo per un indice). Nessun dato è stato modificato; l'importazione è registrata come fallita e si può ripetere.",
      );
      expect(await checksumTabelle(db.knex)).toBe(before);
      const row = await db.knex('importazioni').orderBy('id', 'desc').first('esito', 'messaggio');
      expect(row).toEqual({ esito: 'errore', messaggio: (e as ImportFailed).message });
    } finally {
      await db.knex.raw('drop trigger rifiuta on accessi');
      await db.knex.raw('drop function rifiuta()');
    }
  });
});

// The connection of the import killed from another one: PostgreSQL only (PGlite has no other
// connection). The command runs against a database of its own, created and dropped here, so
// that pg_terminate_backend can only ever reach this test's backends.
const PG = process.env.TEST_DATABASE_URL;
if (PG) {
  describe('an import whose connection is killed mid-COPY [postgres]', () => {
    const name = `cruscotto_guasti_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
    const url = new URL(PG);
    url.pathname = `/${name}`;
    const admin = knexFactory({ client: 'pg', connection: PG, pool: { min: 0, max: 2 } });
    const own = knexFactory({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 2 } });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-kill-'));
    beforeAll(async () => {
      await admin.raw(`create database "${name}"`);
    });
    afterAll(async () => {
      await own.destroy();
      await admin.raw(`drop database if exists "${name}" with (force)`);
      await admin.destroy();
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    test('`cruscotto import siz`: exit 1, an Italian message and no stack trace, the import row failed, the data unchanged', async () => {
      const env = { ...process.env, DATABASE_URL: url.toString(), SESSION_SECRET: 'x' };
      const files = estratto();
      const write = (dir: string, over: Record<string, string> = {}) => {
        fs.mkdirSync(dir);
        for (const [n, c] of Object.entries({ ...files, ...over })) fs.writeFileSync(path.join(dir, n), c);
        return dir;
      };
      const first = spawnSync(process.execPath, [BIN, 'import', 'siz', write(path.join(tmp, 'base'))], { env, encoding: 'utf8', timeout: 120_000 });
      expect(first.status).toBe(0);
      const before = await checksumTabelle(own);

      // 300,000 accessi: seconds of COPY, time enough to find its backend.
      const big = path.join(tmp, 'grande');
      write(big);
      const out = fs.openSync(path.join(big, 'accessi.csv'), 'w');
      fs.writeSync(out, 'id_accesso;codice_fiscale;codice_istat;data_accesso;motivo_accesso\n');
      const cf = buildCf('RSS', 'MRA', '1980-01-01', 'M', 'E648');
      for (let i = 0; i < 300; i++) {
        let chunk = '';
        for (let j = 0; j < 1000; j++) chunk += `A${i * 1000 + j};${cf};098031;2024-01-0${1 + (j % 9)};CONTRIBUTO ECONOMICO\n`;
        fs.writeSync(out, chunk);
      }
      fs.closeSync(out);

      const child = spawn(process.execPath, [BIN, 'import', 'siz', big], { env });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      let killed: number | null = null;
      while (killed === null) {
        const rows = (await admin.raw(`select pid from pg_stat_activity where datname = ? and query ilike 'copy %stg_accessi%' and state = 'active'`, [name])).rows as { pid: number }[];
        if (rows.length === 1) {
          await admin.raw('select pg_terminate_backend(?)', [rows[0].pid]);
          killed = rows[0].pid;
        } else if (child.exitCode !== null) throw new Error(`import finito prima del COPY: ${stderr}`);
        else await new Promise((r) => setTimeout(r, 20));
      }
      expect(await exited).toBe(1);
      // Which the client reads first, PostgreSQL's "terminating connection" or the closed socket,
      // is a race: both are this message's two wordings.
      expect(stderr).toMatch(
        /^Errore: Importazione interrotta da un problema del database: (il database è stato arrestato o riavviato e ha chiuso la connessione|la connessione al database si è interrotta)\. Nessun dato è stato modificato; l'importazione è registrata come fallita e si può ripetere\.\n$/,
      );
      expect(await checksumTabelle(own)).toBe(before);
      const row = await own('importazioni').orderBy('id', 'desc').first('esito', 'origine', 'messaggio');
      expect(row).toMatchObject({ esito: 'errore', origine: big });
      expect(row.messaggio).toMatch(/^Importazione interrotta da un problema del database/);
    }, 240_000);
  });
}
