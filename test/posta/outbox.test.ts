/**
 * The outbox against a real SMTP server: nothing lost when the server is down, nothing sent
 * twice, a retry only for the recipient that failed, bounded attempts, a crash between the
 * SMTP accept and the database record, and two instances sending at once.
 */
import { openDb } from '../../server/db';
import { createMailer, Mailer, setMailer } from '../../server/posta/mailer';
import { attesaDopo, deliverPending, DURATA_INVIO_MS, enqueue, ESITO_INCERTO, MAX_TENTATIVI, NewMessage, reinvia } from '../../server/posta/outbox';
import { describeDb, truncateAll } from '../support/db';
import { mailContext, startSmtp, TestSmtp } from './support';

const MIN = 60_000;

function msg(n: number, to = `ufficio${n}@comune-${n}.example`): NewMessage {
  return { tipo: 'promemoria', chiave: `test:${n}:${to}`, destinatario: to, oggetto: `Messaggio ${n} – è così`, testo: `Testo ${n}`, html: `<p>Testo ${n}</p>`, codice_istat: '098031', riferimento: `prova ${n}` };
}

async function rows(db: { knex: import('knex').Knex }) {
  return db.knex('posta').orderBy('id').select('id', 'destinatario', 'stato', 'tentativi', 'prossimo_tentativo', 'ultimo_errore', 'inviato_il', 'message_id');
}

describeDb('posta in uscita', (get, engine) => {
  let smtp: TestSmtp;

  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(async () => {
    await smtp.stop();
  });
  beforeEach(async () => {
    await truncateAll(get());
    smtp.reset();
    await smtp.start(); // a test may have left it stopped
  });

  test('enqueue ignores a duplicate key (a re-run adds nothing)', async () => {
    const db = get();
    expect(await enqueue(db.knex, [msg(1), msg(2)])).toBe(2);
    expect(await enqueue(db.knex, [msg(1), msg(2), msg(3)])).toBe(1);
    expect(await enqueue(db.knex, [msg(3)])).toBe(0);
    expect((await rows(db)).map((r) => [r.destinatario, r.stato, r.tentativi])).toEqual([
      ['ufficio1@comune-1.example', 'in_attesa', 0],
      ['ufficio2@comune-2.example', 'in_attesa', 0],
      ['ufficio3@comune-3.example', 'in_attesa', 0],
    ]);
  });

  test('without SMTP_URL messages stay in the outbox, untouched', async () => {
    const db = get();
    const ctx = mailContext(db, { smtpUrl: null });
    await enqueue(db.knex, [msg(1)]);
    expect(await deliverPending(ctx)).toEqual({ inviati: 0, falliti: 0, scartati: 0 });
    expect((await rows(db)).map((r) => [r.stato, r.tentativi])).toEqual([['in_attesa', 0]]);
    expect(smtp.received).toHaveLength(0);
  });

  test('SMTP down, then up: nothing lost, each message exactly once, attempts recorded', async () => {
    const db = get();
    await smtp.stop(); // connections refused from now on
    const ctx = mailContext(db, { smtpUrl: smtp.url });
    const t0 = new Date('2026-04-14T06:00:00Z');
    ctx.clock.set(t0);
    await enqueue(db.knex, [msg(1), msg(2), msg(3)]);

    expect(await deliverPending(ctx)).toEqual({ inviati: 0, falliti: 3, scartati: 0 });
    let r = await rows(db);
    expect(r.map((x) => [x.stato, x.tentativi])).toEqual([['fallito', 1], ['fallito', 1], ['fallito', 1]]);
    for (const x of r) {
      expect(new Date(x.prossimo_tentativo).getTime()).toBe(t0.getTime() + 10 * MIN);
      expect(x.ultimo_errore).toMatch(/ECONNREFUSED|ECONNECTION|connect/i);
    }

    ctx.clock.set(new Date(t0.getTime() + 5 * MIN)); // before the backoff: nothing is tried
    expect(await deliverPending(ctx)).toEqual({ inviati: 0, falliti: 0, scartati: 0 });
    expect((await rows(db)).map((x) => x.tentativi)).toEqual([1, 1, 1]);

    ctx.clock.set(new Date(t0.getTime() + 11 * MIN)); // still down: second attempt, longer wait
    expect(await deliverPending(ctx)).toEqual({ inviati: 0, falliti: 3, scartati: 0 });
    r = await rows(db);
    expect(r.map((x) => x.tentativi)).toEqual([2, 2, 2]);
    for (const x of r) expect(new Date(x.prossimo_tentativo).getTime()).toBe(t0.getTime() + 11 * MIN + 20 * MIN);

    // The service restarts (a new context, a new transport) and the SMTP server comes back.
    await smtp.start();
    const restarted = mailContext(db, { smtpUrl: smtp.url });
    restarted.clock.set(new Date(t0.getTime() + 32 * MIN));
    expect(await deliverPending(restarted)).toEqual({ inviati: 3, falliti: 0, scartati: 0 });
    expect(await deliverPending(restarted)).toEqual({ inviati: 0, falliti: 0, scartati: 0 });
    expect(smtp.received.map((m) => m.to).sort()).toEqual(['ufficio1@comune-1.example', 'ufficio2@comune-2.example', 'ufficio3@comune-3.example']);
    expect(smtp.received.map((m) => m.subject).sort()).toEqual(['Messaggio 1 – è così', 'Messaggio 2 – è così', 'Messaggio 3 – è così']);
    r = await rows(db);
    expect(r.map((x) => [x.stato, x.tentativi, x.ultimo_errore])).toEqual([['inviato', 3, null], ['inviato', 3, null], ['inviato', 3, null]]);
    for (const x of r) expect(new Date(x.inviato_il).getTime()).toBe(t0.getTime() + 32 * MIN);
  });

  test('one of two recipients refused for now (450): only that one is retried', async () => {
    const db = get();
    const ctx = mailContext(db, { smtpUrl: smtp.url });
    const t0 = new Date('2026-04-15T06:00:00Z');
    ctx.clock.set(t0);
    await enqueue(db.knex, [msg(1, 'servizi.sociali@brembio.example'), msg(1, 'rifiuta@brembio.example')]);
    smtp.reject.add('rifiuta@brembio.example');

    expect(await deliverPending(ctx)).toEqual({ inviati: 1, falliti: 1, scartati: 0 });
    expect(smtp.received.map((m) => m.to)).toEqual(['servizi.sociali@brembio.example']);
    let r = await rows(db);
    expect(r.map((x) => [x.destinatario, x.stato, x.tentativi])).toEqual([
      ['servizi.sociali@brembio.example', 'inviato', 1],
      ['rifiuta@brembio.example', 'fallito', 1],
    ]);
    expect(r[1].ultimo_errore).toMatch(/^450 Mailbox rifiuta@brembio\.example unavailable/);

    smtp.reject.clear();
    ctx.clock.set(new Date(t0.getTime() + 11 * MIN));
    expect(await deliverPending(ctx)).toEqual({ inviati: 1, falliti: 0, scartati: 0 });
    expect(smtp.received.map((m) => m.to)).toEqual(['servizi.sociali@brembio.example', 'rifiuta@brembio.example']);
    r = await rows(db);
    expect(r.map((x) => [x.destinatario, x.stato, x.tentativi])).toEqual([
      ['servizi.sociali@brembio.example', 'inviato', 1],
      ['rifiuta@brembio.example', 'inviato', 2],
    ]);
  });

  test('a message refused for now every time (450) is given up after MAX_TENTATIVI attempts, with the reason; Reinvia queues it again', async () => {
    const db = get();
    const ctx = mailContext(db, { smtpUrl: smtp.url });
    let t = new Date('2026-04-16T06:00:00Z').getTime();
    ctx.clock.set(new Date(t));
    await enqueue(db.knex, [msg(7, 'inesistente@comune.example')]);
    smtp.reject.add('inesistente@comune.example');
    const waits: number[] = [];
    for (let n = 1; n <= MAX_TENTATIVI; n++) {
      const res = await deliverPending(ctx);
      const [row] = await rows(db);
      expect(row.tentativi).toBe(n);
      if (n < MAX_TENTATIVI) {
        expect(res).toEqual({ inviati: 0, falliti: 1, scartati: 0 });
        expect(row.stato).toBe('fallito');
        const next = new Date(row.prossimo_tentativo).getTime();
        waits.push((next - t) / MIN);
        // One second early: not yet. Exactly on time: tried.
        ctx.clock.set(new Date(next - 1000));
        expect(await deliverPending(ctx)).toEqual({ inviati: 0, falliti: 0, scartati: 0 });
        t = next;
        ctx.clock.set(new Date(t));
      } else {
        expect(res).toEqual({ inviati: 0, falliti: 0, scartati: 1 });
        expect(row.stato).toBe('scartato');
        expect(row.prossimo_tentativo).toBeNull();
        expect(row.ultimo_errore).toMatch(new RegExp(`^scartato dopo ${MAX_TENTATIVI} tentativi; ultimo errore: 450`));
      }
    }
    // 10, 20, 40, ... minutes, capped at 12 hours.
    expect(waits).toEqual([10, 20, 40, 80, 160, 320, 640, 720, 720]);
    expect(waits.map((w, i) => attesaDopo(i + 1) / MIN)).toEqual(waits);
    expect(smtp.received).toHaveLength(0);
    ctx.clock.set(new Date(t + 24 * 3_600_000));
    expect(await deliverPending(ctx)).toEqual({ inviati: 0, falliti: 0, scartati: 0 }); // given up means given up

    const [row] = await rows(db);
    expect(await reinvia(db.knex, row.id)).toBe(true);
    smtp.reject.clear();
    expect(await deliverPending(ctx)).toEqual({ inviati: 1, falliti: 0, scartati: 0 });
    expect(smtp.received.map((m) => m.to)).toEqual(['inesistente@comune.example']);
    expect(await reinvia(db.knex, row.id)).toBe(false); // a sent message cannot be queued again
  });

  test('crash between the SMTP accept and the record: the message is not sent again, and the office sees why', async () => {
    const db = get();
    const t0 = new Date('2026-04-17T06:00:00Z');
    // Instance A: its transport delivers for real, then the process "dies" before recording:
    // the promise never settles, so deliverPending never reaches the UPDATE to 'inviato'.
    // One sender, so the second message is still waiting when A "dies" with the first.
    const a = mailContext(db, { smtpUrl: smtp.url, env: { SMTP_CONNESSIONI: '1' } });
    a.clock.set(t0);
    const real = createMailer(a.config)!;
    const crashing: Pick<Mailer, 'send'> = {
      async send(m) {
        await real.send(m);
        await new Promise(() => undefined);
      },
    };
    setMailer(a, crashing);
    await enqueue(db.knex, [msg(1, 'sociale@lodi.example'), msg(2, 'sociale@brembio.example')]);
    void deliverPending(a);
    await smtp.waitFor(1);
    let r = await rows(db);
    expect(r.map((x) => [x.destinatario, x.stato, x.tentativi])).toEqual([
      ['sociale@lodi.example', 'invio', 1],
      ['sociale@brembio.example', 'in_attesa', 0],
    ]);

    // Instance B (the restarted service) a minute later: the row claimed by A is within its
    // lease and left alone; the other message goes out.
    const b = mailContext(db, { smtpUrl: smtp.url });
    b.clock.set(new Date(t0.getTime() + MIN));
    expect(await deliverPending(b)).toEqual({ inviati: 1, falliti: 0, scartati: 0 });
    expect(smtp.received.map((m) => m.to)).toEqual(['sociale@lodi.example', 'sociale@brembio.example']);

    // After the lease: A's row is settled as "esito incerto", NOT sent again.
    b.clock.set(new Date(t0.getTime() + DURATA_INVIO_MS + MIN));
    expect(await deliverPending(b)).toEqual({ inviati: 0, falliti: 0, scartati: 1 });
    expect(await deliverPending(b)).toEqual({ inviati: 0, falliti: 0, scartati: 0 });
    expect(smtp.received.map((m) => m.to)).toEqual(['sociale@lodi.example', 'sociale@brembio.example']);
    r = await rows(db);
    expect(r.map((x) => [x.destinatario, x.stato])).toEqual([
      ['sociale@lodi.example', 'scartato'],
      ['sociale@brembio.example', 'inviato'],
    ]);
    expect(r[0].ultimo_errore).toBe(ESITO_INCERTO);

    // The trade-off: if the office decides to resend, the copy carries the same Message-ID,
    // so the recipient's mail system can recognise it as the same message.
    expect(await reinvia(db.knex, r[0].id)).toBe(true);
    expect(await deliverPending(b)).toEqual({ inviati: 1, falliti: 0, scartati: 0 });
    const lodi = smtp.received.filter((m) => m.to === 'sociale@lodi.example');
    expect(lodi).toHaveLength(2);
    expect(lodi[1].messageId).toBe(lodi[0].messageId);
    expect(lodi[0].messageId).toBe(r[0].message_id);
    real.close();
  });

  test('two instances deliver at once: every message exactly once', async () => {
    const db = get();
    // PostgreSQL: a second, independent pool on the same schema, as a second server would have.
    // PGlite is single-process: the two senders share its one connection and interleave.
    const other = engine === 'postgres' ? await openDb({ databaseUrl: process.env.TEST_DATABASE_URL!, schema: db.schema, poolMax: 4 }) : null;
    try {
      const a = mailContext(db, { smtpUrl: smtp.url });
      const b = mailContext(other ?? db, { smtpUrl: smtp.url });
      const t0 = new Date('2026-04-20T06:00:00Z');
      a.clock.set(t0);
      b.clock.set(t0);
      const n = 30;
      await enqueue(db.knex, Array.from({ length: n }, (_, i) => msg(i + 1)));
      smtp.delayMs = 15;
      const [ra, rb] = await Promise.all([deliverPending(a), deliverPending(b)]);
      expect(ra.inviati + rb.inviati).toBe(n);
      expect(ra.falliti + rb.falliti + ra.scartati + rb.scartati).toBe(0);
      if (engine === 'postgres') {
        expect(ra.inviati).toBeGreaterThan(0);
        expect(rb.inviati).toBeGreaterThan(0);
      }
      const ids = smtp.received.map((m) => m.messageId);
      expect(ids).toHaveLength(n);
      expect(new Set(ids).size).toBe(n);
      expect((await rows(db)).every((x) => x.stato === 'inviato' && x.tentativi === 1)).toBe(true);
    } finally {
      await other?.close();
    }
  });
});
