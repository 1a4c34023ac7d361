/**
 * `npx tsx test/riservatezza/casuale-cli.ts [seme...]`: the disclosure audit on randomized ambiti
 * of small comuni (the data of test/riservatezza/verifica-semi-*.test.ts), printing its figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate, openDb } from '../../server/db';
import { testContext } from '../auth/helpers';
import { descrivi, Piano, verifica } from './audit';
import { servi } from './ambiente';
import { caricaCasuale } from './casuale';
import { REGOLE } from './regole';

const MESI = ['2025-12', ...Array.from({ length: 11 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`)];
const PIANO: Piano = { anni: [2026, 2025], mesi: MESI, tutteLeSelezioni: true, filtriDettaglio: true, csvOgni: 3 };

async function main(): Promise<void> {
  const semi = process.argv.slice(2).map(Number);
  for (const seme of semi.length ? semi : [11]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verifica-'));
    const db = await openDb({ pgliteDir: dir });
    await migrate(db);
    await caricaCasuale(db, seme);
    const ctx = testContext(db);
    const s = await servi(ctx);
    const comuni = await s.comuni();
    const verita = await s.lettore('udp');
    for (const proprio of [null, comuni[1].codice_istat]) {
      const lettore = await s.lettore(proprio ? { comune: proprio } : 'operatore');
      const r = await verifica({ lettore, verita, proprio, comuni, piano: PIANO, regole: REGOLE, oggi: ctx.clock.today() });
      console.log(`\n== seme ${seme}, ${proprio ? `comune ${proprio}` : 'operatore'}`);
      console.log(descrivi(r));
    }
    await s.chiudi();
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}
main().catch((e) => {
  console.error(e);
  process.exit(2);
});
