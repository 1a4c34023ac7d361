import fs from 'node:fs';
import { ConfigError, loadConfig } from '../../server/config';
import { openDb, parsePgSettings, PGLITE_MEMORY_DEFAULT } from '../../server/db';
import { openTestDb } from '../support/db';

describe('configuration', () => {
  test('PGLITE_MEMORY: the default, an override, and a malformed value stopping the start with its name', () => {
    expect(loadConfig({}).pgliteSettings).toEqual(parsePgSettings(PGLITE_MEMORY_DEFAULT));
    expect(loadConfig({}).pgliteSettings).toContain('shared_buffers=16MB');
    expect(loadConfig({ PGLITE_MEMORY: ' shared_buffers=64MB , work_mem=8MB ' }).pgliteSettings).toEqual(['shared_buffers=64MB', 'work_mem=8MB']);
    expect(() => loadConfig({ PGLITE_MEMORY: 'shared_buffers=64MB; drop table x' })).toThrow(ConfigError);
    expect(() => loadConfig({ PGLITE_MEMORY: 'tanta' })).toThrow(/PGLITE_MEMORY: elenco di impostazioni nome=valore/);
  });

  test('HOST, SMTP_TIMEOUT, SMTP_CONNESSIONI, LIMITE_RICHIESTE: defaults, overrides, and a bad value named', () => {
    const d = loadConfig({});
    expect([d.host, d.smtpTimeoutMs, d.smtpConnessioni, d.limiteRichieste]).toEqual(['127.0.0.1', 15_000, 3, 60]);
    const o = loadConfig({ HOST: '0.0.0.0', SMTP_TIMEOUT: '0.5', SMTP_CONNESSIONI: '5', LIMITE_RICHIESTE: '100' });
    expect([o.host, o.smtpTimeoutMs, o.smtpConnessioni, o.limiteRichieste]).toEqual(['0.0.0.0', 500, 5, 100]);
    expect(() => loadConfig({ SMTP_TIMEOUT: 'presto' })).toThrow(/SMTP_TIMEOUT: un numero di secondi/);
    expect(() => loadConfig({ SMTP_TIMEOUT: '0' })).toThrow(/SMTP_TIMEOUT: un numero di secondi maggiore di zero/);
    expect(() => loadConfig({ SMTP_TIMEOUT: '600' })).toThrow(/SMTP_TIMEOUT: al massimo 120 secondi/);
    expect(() => loadConfig({ SMTP_CONNESSIONI: '0' })).toThrow(/SMTP_CONNESSIONI: almeno 1/);
    expect(() => loadConfig({ SMTP_CONNESSIONI: '2.5' })).toThrow(/SMTP_CONNESSIONI: un numero intero/);
    expect(() => loadConfig({ LIMITE_RICHIESTE: 'tanti' })).toThrow(/LIMITE_RICHIESTE: un numero intero/);
  });

  test('HEAP_CRESCITA: 50 by default, 0 for V8\'s own rule, a percentage, a bad value named', () => {
    expect(loadConfig({}).heapCrescita).toBe(50);
    expect(loadConfig({ HEAP_CRESCITA: '50' }).heapCrescita).toBe(50);
    expect(loadConfig({ HEAP_CRESCITA: '0' }).heapCrescita).toBe(0);
    expect(loadConfig({ HEAP_CRESCITA: '200' }).heapCrescita).toBe(200);
    expect(() => loadConfig({ HEAP_CRESCITA: 'poco' })).toThrow(/HEAP_CRESCITA.*atteso un numero intero tra 0 e 1000/);
    expect(() => loadConfig({ HEAP_CRESCITA: '5000' })).toThrow(/HEAP_CRESCITA/);
  });

  test('an invalid cron expression stops the start naming the variable', () => {
    expect(() => loadConfig({ CRON_INBOX: 'ogni notte' })).toThrow(/CRON_INBOX: espressione cron non valida/);
  });
});

describe('embedded PostgreSQL settings', () => {
  test('PGlite starts with the small-memory defaults, or with the settings given', async () => {
    const db = await openTestDb('pglite');
    const dir = db.pgliteDir!;
    const show = async (d: { knex: import('knex').Knex }, name: string) => (await d.knex.raw(`show ${name}`)).rows[0][name];
    try {
      expect(await show(db, 'shared_buffers')).toBe('16MB');
      expect(await show(db, 'maintenance_work_mem')).toBe('8MB');
      expect(await show(db, 'work_mem')).toBe('4MB');
      expect(await show(db, 'max_connections')).toBe('5');
    } finally {
      await db.close();
    }
    const other = await openDb({ pgliteDir: dir, pgliteSettings: ['shared_buffers=32MB', 'work_mem=8MB'] });
    try {
      expect(await show(other, 'shared_buffers')).toBe('32MB');
      expect(await show(other, 'work_mem')).toBe('8MB');
    } finally {
      await other.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
