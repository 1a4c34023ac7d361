/**
 * The embedded database has one connection: while the night holds it (an import's transaction,
 * a job), a page already computed is served as it was (with its own date of the data) instead of
 * waiting (server/cruscotto/notte.ts, docs/fatti.md). Checked by order, not by time: the page's
 * answer must arrive while the transaction is still open, which is released only after it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { migrate, openDb, Database } from '../../server/db';
import { seedComuni } from '../support/fixtures';
import { createUser } from '../../server/auth/utenti';
import { signedIn, startServer, testContext, TestServer } from '../auth/helpers';
import type { Utente } from '../../server/auth/tipi';

jest.setTimeout(120_000);

describe('pagine durante la notte (PGlite)', () => {
  let dir: string;
  let db: Database;
  let server: TestServer;
  let udp: Utente;
  let ctx: ReturnType<typeof testContext>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notte-'));
    db = await openDb({ pgliteDir: dir });
    await migrate(db);
    await seedComuni(db);
    ctx = testContext(db);
    udp = (await createUser(db, { email: 'udp@test.example', ruolo: 'udp', password: 'password-dei-test' })).utente;
    server = await startServer(ctx);
  });
  afterAll(async () => {
    await server?.close();
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test.each(['/sportello?anno=2025', '/analisi/ripartizioni?anno=2025'])('%s: servita mentre la connessione è presa, con i dati di prima', async (pagina) => {
    const { browser } = await signedIn(ctx, server.url, udp);
    const prima = await browser.get(pagina);
    expect(prima.status).toBe(200);
    // The night starts: an import in progress (a new data version) holding the only connection.
    await db.knex('importazioni').insert({ tipo: 'siz', esito: 'in_corso', origine: 'test', avviato_il: new Date() } as never);
    const trx: Knex.Transaction = await db.knex.transaction();
    await trx.raw('select 1');
    const ordine: string[] = [];
    const risposta = browser.get(pagina).then((r) => {
      ordine.push('risposta');
      return r;
    });
    // Released when the page has answered, or after 60 s (then the page waited for it: failure).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([risposta, new Promise((r) => (timer = setTimeout(r, 60_000)))]);
    clearTimeout(timer);
    ordine.push('rilascio');
    await trx.commit();
    const r = await risposta;
    expect(ordine).toEqual(['risposta', 'rilascio']);
    expect(r.status).toBe(200);
    // The page computed before the night, figures and all (the layout around it is per request).
    const corpo = (t: string) => t.slice(t.indexOf('<main'), t.indexOf('</main>'));
    expect(corpo(r.text).length).toBeGreaterThan(500);
    expect(corpo(r.text)).toBe(corpo(prima.text));
    await db.knex('importazioni').where({ esito: 'in_corso' }).update({ esito: 'errore' });
  });
});
