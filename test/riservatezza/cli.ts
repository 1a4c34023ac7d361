/**
 * `npm run audit -- [--ruolo operatore|comune:ISTAT ...] [--anni 2024,2025] [--ridotto]`: the
 * disclosure audit on the demo data set, as each account would read it; prints the figures
 * (documents, cells, linear programs, time) and every recoverable cell. Exit 1 when any.
 */
import fs from 'node:fs';
import path from 'node:path';
import { migrate, openDb } from '../../server/db';
import { cartellaDemo, contesto } from '../browser/support';
import { caricaContesto } from '../../server/cruscotto/contesto';
import { descrivi, Piano, verifica } from './audit';
import { servi } from './servi';
import { REGOLE } from './regole';

function arg(nome: string): string[] {
  const out: string[] = [];
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) if (a[i] === nome && a[i + 1]) out.push(a[++i]);
  return out;
}

async function main(): Promise<void> {
  const dir = await cartellaDemo();
  const db = await openDb({ pgliteDir: path.join(dir, 'db') });
  await migrate(db);
  const ctx = contesto(db, dir);
  const s = await servi(ctx);
  let fughe = 0;
  try {
    const c = await caricaContesto(db, ctx.clock.today());
    const anni = arg('--anni').length ? arg('--anni')[0].split(',').map(Number) : [...c.anni].sort();
    const mesi = anni.flatMap((a) => Array.from({ length: 12 }, (_, i) => `${a}-${String(i + 1).padStart(2, '0')}`)).filter((m) => m <= ctx.clock.today().slice(0, 7));
    const ridotto = process.argv.includes('--ridotto');
    const piano: Piano = { anni, mesi, tutteLeSelezioni: !ridotto, filtriDettaglio: true, csvOgni: ridotto ? 0 : 7 };
    const ruoli = arg('--ruolo').length ? arg('--ruolo') : ['operatore', 'comune:098031', 'comune:098033'];
    const comuni = await s.comuni();
    const verita = await s.lettore('udp');
    for (const ruolo of ruoli) {
      const proprio = ruolo.startsWith('comune:') ? ruolo.slice(7) : null;
      const lettore = await s.lettore(proprio ? { comune: proprio } : 'operatore');
      const r = await verifica({ lettore, verita, proprio, comuni, piano, regole: REGOLE, oggi: ctx.clock.today(), avanzamento: (t) => process.stderr.write(`  ${t}\n`) });
      console.log(`\n== ${ruolo}, anni ${anni.join(', ')}${ridotto ? ' (piano ridotto)' : ''}`);
      console.log(descrivi(r));
      fughe += r.fughe.length;
    }
  } finally {
    await s.chiudi();
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.exit(fughe ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
