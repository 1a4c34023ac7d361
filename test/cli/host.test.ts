/**
 * HOST (issue 15): `npm start` with the embedded database prints the demo passwords, so it
 * listens on loopback only unless HOST says otherwise. Run as a real process (`cruscotto start`);
 * whether an address answers is checked on two loopback addresses, 127.0.0.1 and 127.0.0.2
 * (the whole 127.0.0.0/8 is this machine), so nothing leaves it.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { migratedPgliteFolder } from '../support/db';
import { openDb } from '../../server/db';
import { seedComuni } from '../support/fixtures';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'cruscotto.js');

/** Whether something accepts TCP connections at host:port. */
function risponde(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** `cruscotto start` on `dataDir`; resolves with the address it printed. */
async function avvia(dataDir: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, 'start'], {
    // Not the test's environment: no DATABASE_URL, so this is the embedded demo.
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(`uscita ${code ?? signal}`)));
  const riga = await new Promise<RegExpMatchArray>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/in ascolto su http:\/\/([\d.]+):(\d+)([^\n]*)\n/);
      if (m) resolve(m);
    });
    void exited.then((esito) => reject(new Error(`${esito}: ${out}${err}`)));
  });
  return {
    host: riga[1],
    port: Number(riga[2]),
    nota: riga[3],
    /** SIGTERM, as a service manager stops it: a clean exit 0 (with what it wrote, if not). */
    async stop(): Promise<string> {
      child.kill('SIGTERM');
      const esito = await exited;
      return esito === 'uscita 0' ? esito : `${esito}\n${out}${err}`;
    },
  };
}

describe('HOST: where the web server listens', () => {
  let dataDir: string;

  beforeAll(async () => {
    // An embedded database that is migrated and not empty, so `start` skips generating the
    // demo data set (a minute of work that this test does not need).
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-host-'));
    await migratedPgliteFolder(path.join(dataDir, 'db'));
    const db = await openDb({ pgliteDir: path.join(dataDir, 'db') });
    try {
      await seedComuni(db);
    } finally {
      await db.close();
    }
  }, 120_000);
  afterAll(() => {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the embedded demo listens on 127.0.0.1 only; HOST moves it', async () => {
    const demo = await avvia(dataDir, {});
    try {
      expect(demo.host).toBe('127.0.0.1');
      expect(demo.nota).toMatch(/solo da questa macchina/);
      expect(await risponde('127.0.0.1', demo.port)).toBe(true);
      expect(await risponde('127.0.0.2', demo.port)).toBe(false);
    } finally {
      expect(await demo.stop()).toBe('uscita 0');
    }

    const altro = await avvia(dataDir, { HOST: '127.0.0.2' });
    try {
      expect(altro.host).toBe('127.0.0.2');
      expect(await risponde('127.0.0.2', altro.port)).toBe(true);
      expect(await risponde('127.0.0.1', altro.port)).toBe(false);
    } finally {
      expect(await altro.stop()).toBe('uscita 0');
    }
  }, 180_000);
});
