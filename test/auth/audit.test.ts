/** The audit page (UdP), its JSON and CSV twins, the audit of imports and the demo accounts. */
import path from 'node:path';
import { describeDb, truncateAll } from '../support/db';
import { csv, tempFiles } from '../support/files';
import { seedComuni } from '../support/fixtures';
import { audit, listAudit } from '../../server/audit';
import { registerImportAudit } from '../../server/audit/importazioni';
import { afterImport } from '../../server/importazione/dopo';
import { importScadenze } from '../../server/importazione/scadenze';
import { toCsv } from '../../server/web/csv';
import { createUser } from '../../server/auth/utenti';
import { createDemoAccounts, demoAccountLines } from '../../server/auth/demo';
import { verifyPassword } from '../../server/auth/password';
import { signedIn, startServer, testContext, TestServer } from './helpers';
import { scryptLeggero } from './scrypt-leggero';
import type { Utente } from '../../server/auth/tipi';

describeDb('registro degli accessi', (get) => {
  let ctx: ReturnType<typeof testContext>;
  let server: TestServer;
  let udp: Utente;

  beforeAll(async () => {
    await truncateAll(get());
    await seedComuni(get());
    ctx = testContext(get());
    udp = (await createUser(get(), { email: 'udp@test.example', ruolo: 'udp', password: 'password-dei-test' })).utente;
    server = await startServer(ctx);
  });
  afterAll(async () => server?.close());
  beforeEach(async () => {
    await get().knex('audit').del();
  });

  test('paged newest first, filtered by action; the JSON twin has the same rows', async () => {
    const base = new Date('2026-11-01T08:00:00Z').getTime();
    for (let i = 0; i < 55; i++) await audit(get(), { azione: i % 5 === 0 ? 'logout' : 'login', email: `u${i}@x.example`, ip: '10.0.0.1', quando: new Date(base + i * 60_000) });
    const p1 = await listAudit(get(), { perPagina: 50 });
    expect([p1.totale, p1.pagine, p1.righe.length, p1.righe[0].email, p1.righe[49].email]).toEqual([55, 2, 50, 'u54@x.example', 'u5@x.example']);
    const logout = await listAudit(get(), { azione: 'logout', perPagina: 50 });
    expect(logout.totale).toBe(11);

    const { browser } = await signedIn(ctx, server.url, udp);
    const page2 = await browser.get('/audit?pagina=2');
    expect(page2.status).toBe(200);
    expect(page2.text).toContain('Pagina 2 di 2');
    expect(page2.text).toContain('u4@x.example');
    expect(page2.text).not.toContain('u54@x.example');
    expect(page2.text).toContain('01/11/2026 09:00:00'); // u0, in Rome time
    const filtered = await browser.get('/audit?azione=logout');
    expect(filtered.text).toContain('11 eventi di tipo <strong>Uscita</strong>');
    const api = JSON.parse((await browser.get('/api/audit?azione=logout')).text);
    expect(api).toMatchObject({ totale: 11, pagina: 1, pagine: 1 });
    expect(api.righe.map((r: { email: string }) => r.email)[0]).toBe('u50@x.example');
    // An unknown action or page is refused with a 400 that lists what is allowed, never trusted.
    const ignota = await browser.get('/api/audit?azione=drop%20table');
    expect(ignota.status).toBe(400);
    expect(JSON.parse(ignota.text).errore).toMatch(/^Parametro non valido: «azione» può valere «/);
    expect((await browser.get('/audit?pagina=due')).status).toBe(400);
  });

  test('the CSV export neutralises spreadsheet formulas and is itself audited', async () => {
    await audit(get(), { azione: 'login_fallito', email: '=HYPERLINK("http://evil")', ip: '10.0.0.9', dettagli: { motivo: 'account_sconosciuto' } });
    const { browser } = await signedIn(ctx, server.url, udp);
    const res = await browser.get('/api/audit?formato=csv');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="?audit\.csv"?$/);
    expect(res.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    const exports = await get().knex('audit').where({ azione: 'esportazione' });
    expect(exports).toHaveLength(1);
    expect(exports[0]).toMatchObject({ email: 'udp@test.example', utente_id: udp.id, dettagli: { pagina: '/api/audit', formato: 'csv' } });
    expect(toCsv(['a'], [['+1'], ['-2'], ['@x'], ['ok; sì']])).toBe('\ufeffa\r\n\'+1\r\n\'-2\r\n\'@x\r\n"ok; sì"\r\n');
  });

  test('every successful import is audited with its details', async () => {
    registerImportAudit();
    const dir = tempFiles({ 'scadenze.csv': csv([['codice_istat', 'tipo', 'data_scadenza'], ['098031', 'caricamento', '2027-03-31']]) });
    await importScadenze(get(), path.join(dir, 'scadenze.csv'), { utente: 'inbox' });
    await afterImport(ctx, 'scadenze');
    const [row] = await get().knex('audit').where({ azione: 'importazione' });
    expect(row).toMatchObject({ email: 'inbox', dettagli: { tipo: 'scadenze', righe: 1, origine: path.join(dir, 'scadenze.csv') } });
  });
});

describeDb('account dimostrativi', (get) => {
  // Which accounts, and when their lines are printed: each printing checks four passwords, so
  // scrypt at a low cost here (test/auth/scrypt-leggero.ts).
  scryptLeggero();
  beforeAll(async () => {
    await truncateAll(get());
    await seedComuni(get());
    await get().knex('operatori').insert([
      { operatore_id: 'OP02', codice_istat: '098031', nome: 'Anna', cognome: 'Verdi', riga: 3 },
      { operatore_id: 'OP01', codice_istat: '098010', riga: 2 },
    ]);
  });

  test('one per role, only with the embedded database, printed while their demo password works', async () => {
    const withUrl = testContext(get(), { env: { DATABASE_URL: 'postgres://nessuno@localhost/x' } });
    expect(await createDemoAccounts(withUrl)).toEqual([]);
    expect(await get().knex('utenti').count('* as n')).toEqual([{ n: 0 }]);
    expect(await demoAccountLines(withUrl)).toEqual([]);

    const ctx = testContext(get());
    expect(await createDemoAccounts(ctx)).toHaveLength(1);
    const users = await get().knex('utenti').orderBy('id').select('email', 'ruolo', 'codice_istat', 'operatore_id');
    expect(users).toEqual([
      { email: 'udp@demo.example', ruolo: 'udp', codice_istat: null, operatore_id: null },
      { email: 'comune.lodi@demo.example', ruolo: 'comune', codice_istat: '098031', operatore_id: null },
      { email: 'comune.piccolo@demo.example', ruolo: 'comune', codice_istat: '098010', operatore_id: null }, // Brembio, the smallest of the seed
      { email: 'assistente.sociale@demo.example', ruolo: 'operatore', codice_istat: null, operatore_id: 'OP02' }, // the first of Lodi
    ]);
    expect(await createDemoAccounts(ctx)).toEqual([]); // idempotent
    const lines = await demoAccountLines(ctx);
    expect(lines[0]).toMatch(/Account dimostrativi/);
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/Comune di Lodi \(098031\)\s+comune\.lodi@demo\.example\s+password: demo-lodi-2026/);
    const row = await get().knex('utenti').where({ email: 'udp@demo.example' }).first();
    expect(await verifyPassword('demo-udp-2026', row.password_hash)).toBe(true);
    // A changed password is no longer printed.
    await get().knex('utenti').where({ email: 'udp@demo.example' }).update({ password_hash: 'scrypt$1$1$1$AA==$AA==' }); // malformed too: must not break anything
    expect(await demoAccountLines(ctx)).toHaveLength(4);
  });
});
