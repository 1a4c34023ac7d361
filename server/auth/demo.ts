import type { AppContext } from '../context';
import { verifyPassword } from './password';
import { createUser, findUserByEmail } from './utenti';

/**
 * Demo accounts, one per role, created only when the embedded database loads the demo data
 * (server/demo.ts `onDemo`); never with DATABASE_URL. Their passwords are fixed and printed by
 * `npm start` as long as nobody has changed them.
 */
export interface DemoAccount {
  email: string;
  password: string;
  ruolo: 'udp' | 'comune' | 'operatore';
  descrizione: string;
  codice_istat?: string;
  operatore_id?: string;
}

export const DEMO_LODI = '098031';

async function demoAccounts(ctx: AppContext): Promise<DemoAccount[]> {
  const db = ctx.db.knex;
  const lodi = await db('comuni').where({ codice_istat: DEMO_LODI }).first('codice_istat', 'nome');
  // The smallest comune: its figures are mostly small counts, so it shows the suppression at work.
  const piccolo = await db('comuni').where({ attivo: true }).whereNot({ codice_istat: DEMO_LODI }).orderBy([{ column: 'popolazione' }, { column: 'codice_istat' }]).first('codice_istat', 'nome');
  // The social worker with the most kinds of registry alarm, then the most alarms: the demo
  // shows their working day (a death first, docs/variazioni.md).
  const conAllarmi = await db('allarmi as a')
    .join('operatori as o', 'o.operatore_id', 'a.operatore_id')
    .join('variazioni as v', 'v.id', 'a.variazione_id')
    .groupBy('o.operatore_id', 'o.nome', 'o.cognome')
    .orderByRaw("count(distinct v.tipo) desc, count(*) desc, o.operatore_id")
    .first('o.operatore_id', 'o.nome', 'o.cognome');
  const op =
    conAllarmi ??
    (await db('operatori').where({ codice_istat: DEMO_LODI }).orderBy('operatore_id').first('operatore_id', 'nome', 'cognome')) ??
    (await db('operatori').orderBy('operatore_id').first('operatore_id', 'nome', 'cognome'));
  const out: DemoAccount[] = [{ email: 'udp@demo.example', password: 'demo-udp-2026', ruolo: 'udp', descrizione: 'Ufficio di Piano' }];
  if (lodi) out.push({ email: 'comune.lodi@demo.example', password: 'demo-lodi-2026', ruolo: 'comune', codice_istat: lodi.codice_istat, descrizione: `Comune di ${lodi.nome} (${lodi.codice_istat})` });
  if (piccolo) out.push({ email: 'comune.piccolo@demo.example', password: 'demo-piccolo-2026', ruolo: 'comune', codice_istat: piccolo.codice_istat, descrizione: `Comune di ${piccolo.nome} (${piccolo.codice_istat})` });
  if (op) out.push({ email: 'assistente.sociale@demo.example', password: 'demo-operatore-2026', ruolo: 'operatore', operatore_id: op.operatore_id, descrizione: `Operatore ${op.operatore_id}${op.nome || op.cognome ? ` (${[op.nome, op.cognome].filter(Boolean).join(' ')})` : ''}` });
  return out;
}

/** The onDemo hook: creates the accounts that do not exist yet. */
export async function createDemoAccounts(ctx: AppContext): Promise<string[]> {
  if (ctx.config.databaseUrl) return [];
  const created: string[] = [];
  for (const a of await demoAccounts(ctx)) {
    if (await findUserByEmail(ctx.db, a.email)) continue;
    await createUser(ctx.db, { email: a.email, ruolo: a.ruolo, codice_istat: a.codice_istat, operatore_id: a.operatore_id, password: a.password }, { email: 'demo' });
    created.push(a.email);
  }
  return created.length ? [`Account dimostrativi creati: ${created.join(', ')}`] : [];
}

/** Lines for `npm start`: the demo accounts that still open with their demo password. */
export async function demoAccountLines(ctx: AppContext): Promise<string[]> {
  if (ctx.config.databaseUrl) return [];
  const rows: string[] = [];
  for (const a of await demoAccounts(ctx)) {
    const u = await findUserByEmail(ctx.db, a.email);
    if (!u || !u.attivo || !(await verifyPassword(a.password, u.password_hash))) continue;
    rows.push(`  ${a.descrizione.padEnd(40)} ${a.email.padEnd(32)} password: ${a.password}`);
  }
  return rows.length ? ['Account dimostrativi (solo con il database integrato):', ...rows] : [];
}
