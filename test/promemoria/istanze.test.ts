/**
 * Two instances (on PostgreSQL: two connection pools, as two servers would have) run the
 * reminder job at the same moment: every reminder is enqueued and sent exactly once. The job
 * service is called directly, without the job lock, so the outbox alone is what is proven.
 */
import { openDb } from '../../server/db';
import { normalizeName } from '../../server/importazione/valori';
import { runPromemoria } from '../../server/promemoria/service';
import { runJob } from '../../jobs';
import { describeDb, truncateAll } from '../support/db';
import { mailContext, startSmtp, TestSmtp } from '../posta/support';

describeDb('promemoria: due istanze insieme', (get, engine) => {
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(async () => {
    await smtp.stop();
  });

  test('each message once, whoever sends it', async () => {
    const db = get();
    await truncateAll(db);
    const n = 12;
    await db.knex('comuni').insert(
      Array.from({ length: n }, (_, i) => {
        const nome = `Comune Prova ${i + 1}`;
        return { codice_istat: String(98100 + i).padStart(6, '0'), nome, nome_norm: normalizeName(nome), popolazione: 1000, distretto: 'Lodi', email: `a${i}@prova.example, b${i}@prova.example` };
      }),
    );
    // Deadlines in 7 days (a Wednesday): today is an occasion for all of them.
    await db.knex('scadenze').insert(Array.from({ length: n }, (_, i) => ({ codice_istat: String(98100 + i).padStart(6, '0'), tipo: 'credenziali', data_scadenza: '2026-04-22' })));
    const other = engine === 'postgres' ? await openDb({ databaseUrl: process.env.TEST_DATABASE_URL!, schema: db.schema, poolMax: 4 }) : null;
    try {
      const a = mailContext(db, { smtpUrl: smtp.url });
      const b = mailContext(other ?? db, { smtpUrl: smtp.url });
      a.clock.day('2026-04-15');
      b.clock.day('2026-04-15');
      smtp.delayMs = 10;
      const [ra, rb] = await Promise.all([runPromemoria(a, { oggi: '2026-04-15' }), runPromemoria(b, { oggi: '2026-04-15' })]);
      expect(ra.accodati + rb.accodati).toBe(2 * n);
      expect(ra.consegna.inviati + rb.consegna.inviati).toBe(2 * n);
      expect(smtp.received).toHaveLength(2 * n);
      expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(2 * n);
      expect(new Set(smtp.received.map((m) => m.to)).size).toBe(2 * n);

      // Through the job runner as the scheduler does: a second run the same day sends nothing.
      const [ja, jb] = await Promise.all([runJob(a, 'promemoria', { oggi: '2026-04-15' }), runJob(b, 'promemoria', { oggi: '2026-04-15' })]);
      expect([ja.esito, jb.esito]).toContain('ok');
      expect(smtp.received).toHaveLength(2 * n);
      expect(await db.knex('posta').where({ stato: 'inviato', tentativi: 1 }).count('* as n').first()).toEqual({ n: 2 * n });
    } finally {
      await other?.close();
    }
  });
});
