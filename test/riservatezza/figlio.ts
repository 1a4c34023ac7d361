/**
 * The app of the disclosure audit in a process of its own (ambiente.ts, serviInFiglio: why):
 * `figlio.ts demo` serves the demo data set, `figlio.ts <seme>` a randomized ambito
 * (casuale.ts). It answers its parent's messages: a session cookie for a new account of a
 * role, the comuni, and the request to close (the data folders are removed then). It exits
 * when its parent goes away.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppContext } from '../../server/context';
import { Database, migrate, openDb } from '../../server/db';
import { testContext } from '../auth/helpers';
import { cartellaDemo, contesto } from '../browser/support';
import { migratedPgliteFolder } from '../support/db';
import { servi } from './servi';
import { caricaCasuale } from './casuale';

async function main(): Promise<void> {
  const quale = process.argv[2];
  const cartelle: string[] = [];
  let dir: string;
  let db: Database;
  let ctx: AppContext;
  if (quale === 'demo') {
    dir = await cartellaDemo();
    db = await openDb({ pgliteDir: path.join(dir, 'db') });
    await migrate(db);
    ctx = contesto(db, dir);
  } else {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verifica-'));
    await migratedPgliteFolder(dir); // a copy of the migrated template: no initdb per seed
    db = await openDb({ pgliteDir: dir });
    await migrate(db);
    await caricaCasuale(db, Number(quale));
    const c = testContext(db);
    cartelle.push(c.dataDir);
    ctx = c;
  }
  cartelle.push(dir);
  const s = await servi(ctx);
  let chiusura: Promise<void> | null = null;
  const pulisci = () =>
    (chiusura ??= (async () => {
      await s.chiudi();
      await db.close();
      for (const d of cartelle) fs.rmSync(d, { recursive: true, force: true });
    })());
  process.on('disconnect', () => void pulisci().finally(() => process.exit(0)));
  process.on('message', async (m: { id: number; op: string; arg?: unknown }) => {
    try {
      if (m.op === 'chiudi') {
        await pulisci();
        process.send!({ id: m.id, ok: true }, () => process.exit(0));
        return;
      }
      const ok = m.op === 'cookie' ? await s.cookie(m.arg as never) : m.op === 'comuni' ? await s.comuni() : undefined;
      if (ok === undefined) throw new Error(`richiesta sconosciuta: ${m.op}`);
      process.send!({ id: m.id, ok });
    } catch (e) {
      process.send!({ id: m.id, errore: String((e as Error).stack ?? e) });
    }
  });
  process.send!({ pronto: { base: s.base, oggi: ctx.clock.today() } });
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
