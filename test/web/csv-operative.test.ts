/**
 * The operational CSVs (jobs, audit log, deadlines, outbox, alarms) open in a spreadsheet set to
 * Italian: read back with a CSV parser set to `;` (fetch drops the BOM; test/auth/audit.test.ts checks it), every row has the header's width,
 * numbers have a decimal comma, a negative number stays a number, text that would be a formula
 * is defused (one writer for all: server/web/csv.ts).
 */
import { parse } from 'csv-parse/sync';
import { describeDb, truncateAll } from '../support/db';
import { seedComuni } from '../support/fixtures';
import { createUser } from '../../server/auth/utenti';
import { audit } from '../../server/audit';
import { signedIn, startServer, testContext, TestServer } from '../auth/helpers';
import type { Utente } from '../../server/auth/tipi';

const leggi = (testo: string): string[][] => parse(testo, { delimiter: ';', bom: true, relax_column_count: false });

describeDb('CSV operativi', (get) => {
  let server: TestServer;
  let udp: Utente;
  let ctx: ReturnType<typeof testContext>;

  beforeAll(async () => {
    await truncateAll(get());
    await seedComuni(get());
    ctx = testContext(get());
    udp = (await createUser(get(), { email: 'udp@test.example', ruolo: 'udp', password: 'password-dei-test' })).utente;
    // A run of 1.5 s, and an audit event whose details start like a formula.
    await get().knex('job_esecuzioni').insert({ job: 'riconciliazione', avviato_il: new Date('2026-11-22T02:00:00Z'), concluso_il: new Date('2026-11-22T02:00:01.500Z'), esito: 'ok', conteggi: JSON.stringify({ comuni: 3 }), messaggio: '=SOMMA(A1:A9)', istanza: 'test', origine: 'test' });
    await audit(get(), { azione: 'esportazione', email: '=cmd@x.it', dettagli: { righe: -5 } });
    await get().knex('scadenze').insert({ codice_istat: '098031', tipo: 'censimento', data_scadenza: '2027-03-31', obiettivo: 90.5, aggiornata_il: new Date() });
    server = await startServer(ctx);
  });
  afterAll(async () => server?.close());

  test.each(['/api/job?formato=csv', '/api/audit?formato=csv', '/api/scadenze?formato=csv', '/api/posta?formato=csv', '/api/notifiche?formato=csv'])('%s: ; and BOM, every row as wide as the header, no decimal point', async (p) => {
    const { browser } = await signedIn(ctx, server.url, udp);
    const r = await browser.get(p);
    expect(r.status).toBe(200);
    const righe = leggi(r.text);
    expect(righe.length).toBeGreaterThanOrEqual(1);
    for (const riga of righe) expect(riga.length).toBe(righe[0].length);
    expect(righe.flat().filter((c) => /^-?\d+\.\d+$/.test(c))).toEqual([]);
  });

  test('the figures read back: 1,5 seconds; 90,5%; a formula defused; -5 a number', async () => {
    const { browser } = await signedIn(ctx, server.url, udp);
    const tabella = async (p: string) => {
      const [testa, ...righe] = leggi((await browser.get(p)).text);
      return righe.map((r) => Object.fromEntries(testa.map((h, i) => [h, r[i]])));
    };
    const job = (await tabella('/api/job?formato=csv')).find((r) => r.job === 'riconciliazione')!;
    expect([job.durata_s, job.messaggio]).toEqual(['1,5', "'=SOMMA(A1:A9)"]);
    const scad = (await tabella('/api/scadenze?formato=csv')).find((r) => r.codice_istat === '098031')!;
    expect(scad.obiettivo).toBe('90,5');
    const ev = (await tabella('/api/audit?formato=csv')).find((r) => r.email === "'=cmd@x.it")!;
    expect(ev.dettagli).toBe('{"righe":-5}');
  });
});
