/**
 * The audit journal of the embedded database (server/audit/attesa.ts): an export recorded while
 * an import holds PGlite's one connection does not wait for it, is durable before the answer, and
 * reaches the `audit` table exactly once, also after a crash. Checked by order, not by time: a
 * transaction holds the connection until the call has returned (or a fixed number of statements).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connessioneOccupata, migrate, openDb, Database } from '../../server/db';
import { audit, listAudit } from '../../server/audit';
import { annota, CARTELLA_ATTESA, svuota } from '../../server/audit/attesa';

jest.setTimeout(120_000);

/** Statements run while the call waits: far more than a journaled call needs. */
const TENUTA = 500;

describe('registro attività mentre la connessione di PGlite è occupata', () => {
  let dir: string;
  let db: Database;

  const contaAudit = async (azione: string): Promise<number> => Number((await db.knex('audit').where({ azione }).count('* as n'))[0].n);
  const fileInAttesa = (): string[] => (fs.existsSync(path.join(dir, CARTELLA_ATTESA)) ? fs.readdirSync(path.join(dir, CARTELLA_ATTESA)) : []);

  /** Holds the connection in a transaction until `chiamata` has resolved; returns the order of the two. */
  async function mentreOccupata(chiamata: () => Promise<unknown>): Promise<string[]> {
    const ordine: string[] = [];
    const trx = await db.knex.transaction();
    await trx.raw('select 1');
    expect(connessioneOccupata(db)).toBe(true);
    let fatta = false;
    const p = chiamata().then(() => {
      ordine.push('registrato');
      fatta = true;
    });
    try {
      for (let i = 0; !fatta && i < TENUTA; i++) await trx.raw('select 1');
    } finally {
      ordine.push('rilascio');
      await trx.commit();
    }
    await p;
    return ordine;
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-attesa-'));
    db = await openDb({ pgliteDir: dir });
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("un'esportazione non aspetta la connessione, è scritta su disco prima, e arriva nel registro una volta", async () => {
    const prima = await contaAudit('esportazione');
    const ordine = await mentreOccupata(() => audit(db, { azione: 'esportazione', email: 'udp@test.example', ip: '127.0.0.1', dettagli: { pagina: '/sportello', formato: 'csv' } }));
    expect(ordine).toEqual(['registrato', 'rilascio']);
    await svuota(db);
    expect(await contaAudit('esportazione')).toBe(prima + 1);
    const riga = await db.knex('audit').where({ azione: 'esportazione' }).orderBy('id', 'desc').first();
    expect(riga).toMatchObject({ email: 'udp@test.example', ip: '127.0.0.1', dettagli: { pagina: '/sportello', formato: 'csv' } });
    expect(riga.rif).toMatch(/^[0-9a-f-]{36}$/);
    expect(fileInAttesa()).toEqual([]);
  });

  test("l'ora registrata è quella dell'esportazione, non quella della copia", async () => {
    const quando = new Date('2026-11-22T02:03:04Z');
    await mentreOccupata(() => audit(db, { azione: 'esportazione', email: 'ora@test.example', quando }));
    await svuota(db);
    const riga = await db.knex('audit').where({ email: 'ora@test.example' }).first();
    expect(new Date(riga.quando).toISOString()).toBe(quando.toISOString());
  });

  test('gli altri eventi (un login fallito, letto subito dal limite dei tentativi) aspettano la connessione', async () => {
    const ordine = await mentreOccupata(() => audit(db, { azione: 'login_fallito', email: 'x@test.example', ip: '10.0.0.1' }));
    expect(ordine).toEqual(['rilascio', 'registrato']);
    expect(fileInAttesa()).toEqual([]);
    expect(await contaAudit('login_fallito')).toBe(1);
  });

  test('a connessione libera si scrive direttamente nella tabella', async () => {
    const prima = await contaAudit('esportazione');
    await audit(db, { azione: 'esportazione', email: 'giorno@test.example' });
    expect(fileInAttesa()).toEqual([]);
    expect(await contaAudit('esportazione')).toBe(prima + 1);
    expect((await db.knex('audit').where({ email: 'giorno@test.example' }).first()).rif).toBeNull();
  });

  test('dopo un arresto: il diario resta su disco, la riapertura lo copia; un evento copiato due volte è una riga sola; una riga tagliata a metà è ignorata', async () => {
    expect(annota(db, { azione: 'esportazione', utente_id: null, email: 'arresto@test.example', dettagli: null, ip: null })).toBe(true);
    // A crash after the copy into the table and before the file's removal: the same event twice.
    const cartella = path.join(dir, CARTELLA_ATTESA);
    const testo = fs.readFileSync(path.join(cartella, 'corrente.ndjson'), 'utf8');
    fs.writeFileSync(path.join(cartella, 'lotto-0-copia.ndjson'), testo + '{"azione":"esportazione","ema');
    await db.close();
    db = await openDb({ pgliteDir: dir });
    await migrate(db);
    expect(await svuota(db)).toBe(2);
    expect(Number((await db.knex('audit').where({ email: 'arresto@test.example' }).count('* as n'))[0].n)).toBe(1);
    expect(fileInAttesa()).toEqual([]);
  });

  test('la pagina del registro mostra anche gli eventi ancora nel diario', async () => {
    annota(db, { azione: 'esportazione', utente_id: null, email: 'diario@test.example', dettagli: null, ip: null });
    const pagina = await listAudit(db, { azione: 'esportazione', perPagina: 100 });
    expect(pagina.righe.map((r) => r.email)).toContain('diario@test.example');
  });

  test('PostgreSQL e PGlite in memoria non hanno diario: annota risponde false', async () => {
    const mem = await openDb({});
    try {
      expect(annota(mem, { azione: 'esportazione', utente_id: null, email: null, dettagli: null, ip: null })).toBe(false);
      expect(await svuota(mem)).toBe(0);
    } finally {
      await mem.close();
    }
  });
});
