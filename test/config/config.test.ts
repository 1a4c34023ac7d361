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
