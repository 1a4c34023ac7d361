/**
 * `npx tsx bench/anni.ts [--senza-fatti]`: on the demo ambito (PGlite), how long the reads of
 * «Anni a confronto» take (server/cruscotto/anni-dati.ts: facts for the years they cover, one
 * grouped query for the older ones) and a year page's documents for every year, per family.
 */
import path from 'node:path';
import { migrate, openDb } from '../server/db';
import { cartellaDemo } from '../test/browser/support';
import { caricaContesto } from '../server/cruscotto/contesto';
import { leggiAnni } from '../server/cruscotto/anni-dati';
import { anniFino, documentiAnni, filtriAnno } from '../server/cruscotto/anni-pagine';
import { parseFiltri } from '../server/cruscotto/filtri';

async function main(): Promise<void> {
  const dir = await cartellaDemo();
  const db = await openDb({ pgliteDir: path.join(dir, 'db') });
  await migrate(db);
  if (process.argv.includes('--senza-fatti')) await db.knex('fatti_stato').del();
  const stato = await db.knex('fatti_stato').first('chiavi');
  const oggi = '2026-11-22';
  const ctx = await caricaContesto(db, oggi);
  const anni = anniFino(ctx, 2026);
  console.log(`anni ${anni[0]}-${anni.at(-1)}; fatti: ${stato ? JSON.stringify(JSON.parse(typeof stato.chiavi === 'string' ? stato.chiavi : JSON.stringify(stato.chiavi)).anni) : 'nessuno'}`);
  for (const p of ['sportello', 'sociali', 'economici'] as const) {
    const t0 = Date.now();
    await leggiAnni(db, p, anni, oggi);
    const t1 = Date.now();
    const memo = new Map<string, Promise<unknown>>();
    const cached = <T>(k: string, fn: () => Promise<T>) => (memo.get(k) ?? memo.set(k, fn()).get(k)!) as Promise<T>;
    const f = parseFiltri({ anno: '2026' }, p, ctx, { api: true });
    const v = { udp: false, proprio: null, classe: 'altri' };
    await documentiAnni(db, cached, { versione: 'x', contesto: ctx, v }, 2026, [p], (_q, a) => filtriAnno(f, a, false));
    const t2 = Date.now();
    await documentiAnni(db, cached, { versione: 'x', contesto: ctx, v }, 2026, [p], (_q, a) => filtriAnno(f, a, false));
    console.log(`${p}: lettura di ${anni.length} anni ${t1 - t0} ms; con i documenti di ogni anno (operatore) ${t2 - t1} ms; di nuovo, righe in memoria ${Date.now() - t2} ms`);
  }
  await db.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
