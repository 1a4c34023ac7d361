/**
 * A poisoned file in the inbox of a running server: `cruscotto serve` with the scheduler taking
 * the inbox every second, an accessi.csv with a NUL byte past its first 64 KB (PostgreSQL
 * refuses it inside COPY: this used to kill the server, in a loop). The server keeps serving,
 * the set lands in scartati/ with ERRORI.txt naming line and column, the run is 'fallito'.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { migratedPgliteFolder } from '../support/db';
import { openDb } from '../../server/db';
import { estratto } from '../importazione/support/estratto';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'cruscotto.js');

async function until<T>(what: string, f: () => T | null | undefined, ms = 150_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`in attesa di: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('inbox of a running server [pglite]', () => {
  test('a NUL byte after 64 KB: the server keeps serving, the set goes to scartati/, the run fails with the reason', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-inbox-server-'));
    await migratedPgliteFolder(path.join(dataDir, 'db'));
    const server = spawn(process.execPath, [BIN, 'serve'], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', PORT: '0', CRON_INBOX: '* * * * * *', LOG_LEVEL: 'silent' },
    });
    let out = '';
    let err = '';
    server.stdout.on('data', (d) => (out += d));
    server.stderr.on('data', (d) => (err += d));
    try {
      const port = await until('il server in ascolto', () => /in ascolto su http:\/\/[^:]+:(\d+)/.exec(out)?.[1]);
      const base = `http://127.0.0.1:${port}`;

      // accessi.csv over 64 KB, a NUL in the middle of a field of line 1001.
      const files = estratto();
      const lines = ['id_accesso;codice_fiscale;codice_istat;data_accesso;motivo_accesso'];
      for (let i = 1; i <= 1500; i++) lines.push(`A${i};;098031;2024-01-01;${i === 1000 ? 'CONTRI\u0000BUTO' : 'CONTRIBUTO ECONOMICO PER UTENZE DOMESTICHE'}`);
      const accessi = lines.join('\n') + '\n';
      expect(accessi.indexOf('\u0000')).toBeGreaterThan(64 * 1024);
      const set = path.join(dataDir, 'inbox', 'siz', 'notte');
      fs.mkdirSync(set, { recursive: true });
      fs.writeFileSync(path.join(set, 'cartelle.csv'), files['cartelle.csv']);
      fs.writeFileSync(path.join(set, 'membri.csv'), files['membri.csv']);
      fs.writeFileSync(path.join(set, 'accessi.csv'), accessi);
      fs.writeFileSync(path.join(set, 'estrazione.txt'), '2026-11-21\n'); // last: the set is complete

      const scartati = path.join(dataDir, 'inbox', 'scartati', 'siz');
      const dest = await until('il lotto in scartati/', () => (fs.existsSync(scartati) ? fs.readdirSync(scartati).find((n) => n.endsWith('-notte')) : null));
      const errori = await until('ERRORI.txt', () => (fs.existsSync(path.join(scartati, dest, 'ERRORI.txt')) ? fs.readFileSync(path.join(scartati, dest, 'ERRORI.txt'), 'utf8') : null));
      expect(errori).toContain('accessi.csv:1001:5: il file è binario, non un CSV di testo: contiene un byte nullo (NUL)');
      expect(fs.existsSync(set)).toBe(false);

      // Still serving, a few scheduler ticks later.
      await new Promise((r) => setTimeout(r, 3000));
      expect(server.exitCode).toBeNull();
      expect((await fetch(`${base}/salute`)).status).toBe(200);
      expect((await fetch(`${base}/login`)).status).toBe(200);

      server.kill('SIGTERM');
      const [code] = await once(server, 'exit');
      expect(code).toBe(0);
      expect(err).not.toMatch(/\n\s+at /);

      const db = await openDb({ pgliteDir: path.join(dataDir, 'db') });
      try {
        // Ticks that found the previous one still running are 'saltato'; the others ended 'ok' (nothing new).
        const runs = await db.knex('job_esecuzioni').where({ job: 'inbox' }).whereNotIn('esito', ['ok', 'saltato']).select('esito', 'errore', 'conteggi');
        expect(runs.map((r) => r.esito)).toEqual(['fallito']);
        expect(runs[0].errore).toMatch(/siz\/notte: scartato \(1 problema, vedi ERRORI\.txt\)/);
        expect(runs[0].conteggi).toMatchObject({ scartati: 1, importati: 0 });
        const imp = await db.knex('importazioni').where({ tipo: 'siz' }).select('esito');
        expect(imp).toEqual([{ esito: 'rifiutata' }]);
        expect(await db.knex('accessi').count('* as n')).toEqual([{ n: 0 }]);
      } finally {
        await db.close();
      }
    } finally {
      if (server.exitCode === null) server.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
