/**
 * `npx tsx test/riservatezza/casuale-cli.ts [--tipi FILE] [seme...]`: the disclosure audit on
 * randomized ambiti of small comuni (the data of test/riservatezza/verifica-semi-*.test.ts),
 * printing its figures. With --tipi, the kinds of hidden cell each seed met (audit.ts,
 * Rapporto.tipiNascosti) go to FILE as JSON, and the kinds that only one seed met are printed:
 * what a seed adds to the others.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate, openDb } from '../../server/db';
import { testContext } from '../auth/helpers';
import { migratedPgliteFolder } from '../support/db';
import { descrivi, Piano, verifica } from './audit';
import { servi } from './servi';
import { caricaCasuale } from './casuale';
import { REGOLE } from './regole';
import { MESI } from './verifica';

const PIANO: Piano = { anni: [2026, 2025], mesi: MESI, tutteLeSelezioni: true, filtriDettaglio: true, csvOgni: 3 };

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--tipi');
  const fileTipi = i >= 0 ? argv.splice(i, 2)[1] : null;
  const semi = argv.map(Number);
  const tipi: Record<string, Record<string, string[]>> = {};
  let fughe = 0;
  for (const seme of semi.length ? semi : [11]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verifica-'));
    await migratedPgliteFolder(dir);
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
      (tipi[seme] ??= {})[proprio ? 'comune' : 'operatore'] = r.tipiNascosti;
      fughe += r.fughe.length;
    }
    await s.chiudi();
    await db.close();
    for (const d of [dir, ctx.dataDir]) fs.rmSync(d, { recursive: true, force: true });
  }
  if (fileTipi) {
    fs.writeFileSync(fileTipi, JSON.stringify(tipi, null, 1));
    for (const ruolo of ['operatore', 'comune']) {
      const di = (s: string) => new Set(tipi[s][ruolo]);
      for (const s of Object.keys(tipi)) {
        const altri = new Set(Object.keys(tipi).filter((x) => x !== s).flatMap((x) => tipi[x][ruolo]));
        const propri = [...di(s)].filter((t) => !altri.has(t));
        console.log(`\n${ruolo}, seme ${s}: ${di(s).size} tipi di cella nascosta, ${propri.length} che nessun altro seme ha${propri.map((t) => `\n  ${t}`).join('')}`);
      }
    }
  }
  process.exit(fughe ? 1 : 0);
}
main().catch((e) => {
  console.error(e);
  process.exit(2);
});
