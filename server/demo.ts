import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from './context';
import { importComuni } from './importazione/comuni';
import { importSiz } from './importazione/siz';
import { importCensimento } from './importazione/censimento';
import { importScadenze } from './importazione/scadenze';
import { importAnagrafe } from './importazione/anagrafe';
import { dopoImportazioni } from '../jobs';
import { genera } from './genera/index';
import { storiaDemo } from './demo/storia';
import { promemoriaDemo } from './demo/promemoria';

/** Extra demo steps (for example demo accounts), registered by features. */
const demoHooks: ((ctx: AppContext) => Promise<string[]>)[] = [];
export function onDemo(hook: (ctx: AppContext) => Promise<string[]>): void {
  demoHooks.push(hook);
}

export const DEMO_SEED = 2020;
/** The demo's registry snapshots: a month apart, general rates scaled to a few changes per thousand residents. */
export const DEMO_ANAGRAFE = { giorni: 30, tasso: 0.4 };
/** Comuni with visible quality problems (multiplier of their share): Casalpusterlengo, Mulazzano, Graffignana. */
export const DEMO_SPORCHI: Record<string, number> = { '098010': 30, '098041': 120, '098028': 250 };

/**
 * First start on an empty embedded database: generate the demo data set of the Ambito di Lodi
 * (deterministic) and import it exactly as the UdP would. Returns lines to print.
 */
export async function loadDemoIfEmpty(ctx: AppContext, say: (line: string) => void): Promise<boolean> {
  const [{ n }] = await ctx.db.knex('comuni').count('* as n');
  if (Number(n) > 0) return false;
  const dir = path.join(ctx.config.dataDir, 'demo');
  say(`Database vuoto: genero i dati dimostrativi dell'Ambito di Lodi in ${dir} ...`);
  fs.rmSync(dir, { recursive: true, force: true });
  // The registry comuni send a monthly extract, with changes at a real rate (a few per thousand
  // residents a month) outside the open cases; three comuni load dirty data.
  await genera({ dir, scala: 'ambito', seme: DEMO_SEED, oggi: ctx.clock.today(), anagrafe: DEMO_ANAGRAFE, sporchi: DEMO_SPORCHI });
  const steps: [string, () => Promise<{ messaggio: string }>][] = [
    ['comuni', () => importComuni(ctx.db, path.join(dir, 'comuni.csv'), { utente: 'demo' })],
    ['siz', () => importSiz(ctx.db, path.join(dir, 'siz'), { utente: 'demo' })],
    ['censimento', () => importCensimento(ctx.db, path.join(dir, 'censimento.csv'), { utente: 'demo' })],
    ['scadenze', () => importScadenze(ctx.db, path.join(dir, 'scadenze.csv'), { utente: 'demo' })],
    ['anagrafe', () => importAnagrafe(ctx.db, path.join(dir, 'anagrafe', '1', 'anagrafe.csv'), { utente: 'demo' })],
    ['anagrafe', () => importAnagrafe(ctx.db, path.join(dir, 'anagrafe', '2', 'anagrafe.csv'), { utente: 'demo' })],
  ];
  for (const [, step] of steps) say(`  ${(await step()).messaggio}`);
  // Two years of monthly runs before today's (server/demo/storia.ts), then today's chain.
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'generazione.json'), 'utf8')) as { atteso: Parameters<typeof storiaDemo>[1]['atteso'] };
  for (const line of (await storiaDemo(ctx, { seme: DEMO_SEED, oggi: ctx.clock.today(), atteso: manifest.atteso })).righe) say(`  ${line}`);
  for (const line of await promemoriaDemo(ctx, ctx.clock.today())) say(`  ${line}`);
  // What follows the imports (reconciliation, checks, registry changes) once, for all of them.
  for (const line of await dopoImportazioni(ctx, [...new Set(steps.map(([kind]) => kind))], 'dati dimostrativi')) say(`  ${line}`);
  for (const hook of demoHooks) for (const line of await hook(ctx)) say(line);
  return true;
}
