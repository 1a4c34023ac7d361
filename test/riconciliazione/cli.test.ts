/**
 * The commands of this feature, run in-process through `main` on a fresh database of each
 * engine (PGlite in a temporary DATA_DIR; a temporary PostgreSQL database with TEST_DATABASE_URL).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { Database, migrate, openDb } from '../../server/db';
import { runCli } from '../support/cli';
import { ENGINES } from '../support/db';
import { cartella, censimento, comune, membro, nomenclatore, scadenza } from './helpers';

/** A fresh database for the CLI: its environment, and a way to open it for seeding. */
async function freshDatabase(engine: string, dataDir: string) {
  if (engine === 'pglite') {
    return { env: { DATA_DIR: dataDir }, open: () => openDb({ pgliteDir: path.join(dataDir, 'db') }), drop: async () => undefined };
  }
  const base = new URL(process.env.TEST_DATABASE_URL!);
  const name = `ric_cli_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: base.toString() });
  await admin.raw('create database ??', [name]);
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    env: { DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    open: () => openDb({ databaseUrl: url.toString() }),
    drop: async () => {
      await admin.raw('drop database if exists ?? with (force)', [name]);
      await admin.destroy();
    },
  };
}

async function seed(db: Database): Promise<void> {
  await migrate(db);
  await nomenclatore(db);
  await comune(db, '098031', { nome: 'Lodi', popolazione: 45000 });
  await comune(db, '098010', { nome: 'Brembio', popolazione: 2800, distretto: 'Casalpusterlengo' });
  await comune(db, '098047', { nome: "Sant'Angelo Lodigiano", popolazione: 13000 });
  await censimento(db, '098031', '2020-06-30', { cartelle_attive: 10 });
  await censimento(db, '098010', '2020-06-30', { cartelle_attive: 2 });
  for (let i = 0; i < 3; i++) await cartella(db, `L${i}`, '098031', '2019-01-01');
  await cartella(db, 'L9', '098031', '2019-01-01', '2020-01-31');
  await membro(db, 'L0', 'RSSMRA80A01E648X');
  await cartella(db, 'B1', '098010', '2019-01-01');
  await cartella(db, 'B2', '098010', '2019-01-01');
  await scadenza(db, '098031', '2027-03-31');
}

for (const engine of ENGINES) {
  describe(`cruscotto report digitalizzazione / export censimento [${engine}]`, () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-ric-cli-'));
    const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };
    let drop: () => Promise<void> = async () => undefined;

    beforeAll(async () => {
      const fresh = await freshDatabase(engine, dataDir);
      drop = fresh.drop;
      const db = await fresh.open();
      await seed(db);
      await db.close();
      process.env.DATA_DIR = fresh.env.DATA_DIR;
      if (fresh.env.DATABASE_URL) process.env.DATABASE_URL = fresh.env.DATABASE_URL;
      else delete process.env.DATABASE_URL;
    }, 120_000);

    afterAll(async () => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      // DROP DATABASE waits for a checkpoint: minutes when another database of the server is
      // being loaded at the same time (a bench on the same machine).
    }, 180_000);

    test('before any run the report says so and exits 1', async () => {
      const r = await runCli(['report', 'digitalizzazione']);
      expect(r.code).toBe(1);
      expect(r.err).toContain('Nessuna riconciliazione eseguita');
    }, 60_000);

    test('run riconciliazione --oggi, then the table in Italian sorted by distance to the target', async () => {
      const run = await runCli(['run', 'riconciliazione', '--oggi', '2026-11-22']);
      expect(run.code).toBe(0);
      expect(run.out).toMatch(/^Riconciliazione n\. 1 del 2026-11-22 .*3 comuni, 1 raggiunto, 0 in corso, 1 critico, 1 senza censimento, 1 a rischio/);
      const r = await runCli(['report', 'digitalizzazione']);
      expect(r.code).toBe(0);
      const lines = r.out.trim().split('\n');
      expect(lines[1]).toContain('Obiettivo 80,00%');
      const body = lines.slice(lines.findIndex((l) => l.startsWith('---')) + 1);
      // Lodi 30% (critico, 50 points below), Brembio 100% (raggiunto), Sant'Angelo without census.
      expect(body.map((l) => l.split(/\s{2,}/)[0])).toEqual(['Lodi', 'Brembio', "Sant'Angelo Lodigiano"]);
      expect(body[0]).toMatch(/30,00%.*\b5\b.*critico.*31\/03\/2027.*SÌ/);
      expect(body[2]).toContain('senza censimento');
    }, 60_000);

    test('--json prints the document; --comune restricts it', async () => {
      const r = await runCli(['report', 'digitalizzazione', '--json', '--comune', '098010']);
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.out);
      expect(doc.obiettivo).toBe(80);
      expect(doc.comuni.map((c: { codice_istat: string }) => c.codice_istat)).toEqual(['098010']);
      expect(doc.comuni[0].digit_tot).toBe(100);
    }, 60_000);

    test('--dettaglio prints the ids counted and the cartelle excluded with the reason', async () => {
      const r = await runCli(['report', 'digitalizzazione', '--comune', '098031', '--dettaglio', 'cartelle_attive']);
      expect(r.code).toBe(0);
      expect(r.out).toContain('Conteggiati (3):\n  L0\n  L1\n  L2\n');
      expect(r.out).toMatch(/Non conteggiati, con il motivo \(1\):\n {2}L9 {2}chiusa il 31\/01\/2020/);
      const bad = await runCli(['report', 'digitalizzazione', '--comune', '098031', '--dettaglio', 'cartelle']);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain('metrica sconosciuta');
      const noComune = await runCli(['report', 'digitalizzazione', '--dettaglio', 'cartelle_attive']);
      expect(noComune.code).toBe(2);
      const unknown = await runCli(['report', 'digitalizzazione', '--comune', '098099']);
      expect(unknown.code).toBe(1);
    }, 60_000);

    test('export censimento writes one sheet per comune', async () => {
      const out = path.join(dataDir, 'schede');
      const r = await runCli(['export', 'censimento', out, '--data', '2026-06-30']);
      expect(r.code).toBe(0);
      expect(fs.readdirSync(out).sort()).toEqual(['censimento_098010_brembio.xlsx', 'censimento_098031_lodi.xlsx', 'censimento_098047_sant-angelo-lodigiano.xlsx']);
      const bad = await runCli(['export', 'censimento', out, '--data', '30/06/2026']);
      expect(bad.code).toBe(2);
    }, 60_000);
  });
}
