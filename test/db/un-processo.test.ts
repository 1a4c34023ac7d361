/**
 * PGlite is a single-process database: the data folder is locked by the process that opens it
 * (server/db-lock.ts). Real processes here: the server, and the CLI beside it. What only sets the
 * stage or reads the result (an account before the server starts, the data afterwards, one of
 * the two commands that take effect once it stopped) runs in this process, through the same
 * lock: each process start costs a few seconds of CPU (tsx, PGlite's WebAssembly).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migratedPgliteFolder } from '../support/db';
import { runCli } from '../support/cli';
import { csv } from '../support/files';
import { openDb } from '../../server/db';
import { createUser } from '../../server/auth/utenti';
import { DatabaseInUseError } from '../../server/db-lock';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'cruscotto.js');
const RIFIUTO = /è già aperto da un altro processo \(cruscotto serve, processo \d+, dal [0-9T:.-]+Z\)[^]*ferma il server \(Ctrl\+C\) e ripeti il comando/;

let dataDir: string;
beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-lock-'));
  await migratedPgliteFolder(path.join(dataDir, 'db'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const env = () => ({ ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', PORT: '0', LOG_LEVEL: 'silent' });

function cli(args: string[], input = '') {
  return spawnSync(process.execPath, [BIN, ...args], { env: env(), input, encoding: 'utf8', timeout: 60_000 });
}

/** The same, without waiting: several commands run side by side. */
function cliAsync(args: string[], input = ''): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: env() });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(input);
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

/** Starts `cruscotto serve` and resolves once it listens. */
async function server(): Promise<{ child: ChildProcess; base: string; stop(signal?: NodeJS.Signals): Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--no-scheduler'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /in ascolto su (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}${err}`)));
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    base,
    stop: async (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}

function sizDir(): string {
  const dir = path.join(dataDir, 'estrazione');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'cartelle.csv'), csv([['id_cartella', 'codice_istat', 'data_apertura'], ['C1', '098031', '2024-01-15']]));
  fs.writeFileSync(path.join(dir, 'membri.csv'), csv([['id_cartella', 'codice_fiscale'], ['C1', 'RSSMRA80A01F205X']]));
  fs.writeFileSync(path.join(dir, 'estrazione.txt'), '2024-06-30\n');
  return dir;
}

/** `cruscotto ARGS` run in this process (the same main() as bin/cruscotto.js) on `dataDir`. */
async function cliHere(args: string[]) {
  const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };
  Object.assign(process.env, { DATA_DIR: dataDir, DATABASE_URL: '' });
  try {
    return await runCli(args);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function contents() {
  const db = await openDb({ pgliteDir: path.join(dataDir, 'db') });
  try {
    const utenti = (await db.knex('utenti').orderBy('email').pluck('email')) as string[];
    const importazioni = (await db.knex('importazioni').whereNot('tipo', 'nomenclatore').orderBy('id').select('tipo', 'esito')) as { tipo: string; esito: string }[];
    const cartelle = Number((await db.knex('cartelle').count('* as n'))[0].n);
    return { utenti, importazioni, cartelle };
  } finally {
    await db.close();
  }
}

describe('the embedded database is opened by one process at a time', () => {
  test('in one process: a second open of the folder is refused until the first closes', async () => {
    const dir = path.join(dataDir, 'db');
    const first = await openDb({ pgliteDir: dir });
    await expect(openDb({ pgliteDir: dir })).rejects.toBeInstanceOf(DatabaseInUseError);
    await first.close();
    const again = await openDb({ pgliteDir: dir });
    expect((await again.knex.raw('select 1 as uno')).rows).toEqual([{ uno: 1 }]);
    await again.close();
  });

  test('a server killed with SIGKILL leaves no stale lock: the next start opens the database; while that server runs, the CLI, a second server and the demo start are refused and change nothing; afterwards they work', async () => {
    const db = await openDb({ pgliteDir: path.join(dataDir, 'db') });
    try {
      await createUser(db, { email: 'prima@udp.example', ruolo: 'udp', password: 'una frase lunga a piacere' });
    } finally {
      await db.close();
    }
    const first = await server();
    expect(await first.stop('SIGKILL')).toBeNull();
    const srv = await server();
    try {
      expect((await fetch(`${srv.base}/salute`)).status).toBe(200);
      const commands = [['user', 'add', '--email', 'durante@udp.example', '--ruolo', 'udp'], ['import', 'siz', sizDir()], ['serve', '--no-scheduler'], ['start']];
      const results = await Promise.all(commands.map((cmd) => cliAsync(cmd, 'una frase lunga a piacere\n')));
      for (const [i, r] of results.entries()) {
        expect([commands[i], r.status, r.stdout]).toEqual([commands[i], 1, '']);
        expect(r.stderr).toMatch(RIFIUTO);
      }
      // The running server was not disturbed.
      expect((await fetch(`${srv.base}/salute`)).status).toBe(200);
    } finally {
      expect(await srv.stop()).toBe(0);
    }
    expect(await contents()).toEqual({ utenti: ['prima@udp.example'], importazioni: [], cartelle: 0 });
    // With the server stopped the same commands take effect (the import in this process, the
    // account in a process of its own).
    expect((await cliHere(['import', 'siz', path.join(dataDir, 'estrazione')])).code).toBe(0);
    expect(cli(['user', 'add', '--email', 'dopo@udp.example', '--ruolo', 'udp'], 'una frase lunga a piacere\n').status).toBe(0);
    expect(await contents()).toEqual({ utenti: ['dopo@udp.example', 'prima@udp.example'], importazioni: [{ tipo: 'siz', esito: 'ok' }], cartelle: 1 });
  }, 300_000); // process starts: ~30 s on a quiet machine, minutes on a loaded one
});
