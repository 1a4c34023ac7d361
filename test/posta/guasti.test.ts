/**
 * Mail server faults (issue 15) against a real SMTP server (smtp-server on 127.0.0.1): a
 * permanent refusal is not retried, a message handed over whole and then cut off is not sent
 * again blindly, a silent server costs at most SMTP_TIMEOUT, and a healthy one gets the messages
 * over several connections at once.
 */
import { createUser } from '../../server/auth/utenti';
import { tipoErrore } from '../../server/posta/mailer';
import { deliverPending, enqueue, ESITO_INCERTO_CONNESSIONE, NewMessage, RIFIUTO_PERMANENTE } from '../../server/posta/outbox';
import { describeDb, truncateAll } from '../support/db';
import { signedIn, startServer, TEST_SECRET } from '../auth/helpers';
import { mailContext, startSmtp, TestSmtp } from './support';

const MIN = 60_000;

function msg(n: number, to = `ufficio${n}@comune-${n}.example`): NewMessage {
  return { tipo: 'promemoria', chiave: `guasti:${n}:${to}`, destinatario: to, oggetto: `Messaggio ${n}`, testo: `Testo ${n}`, html: `<p>Testo ${n}</p>`, codice_istat: '098031', riferimento: `prova ${n}` };
}

async function rows(db: { knex: import('knex').Knex }) {
  return db.knex('posta').orderBy('id').select('id', 'destinatario', 'stato', 'tentativi', 'prossimo_tentativo', 'ultimo_errore');
}

/** Waits until `cond` holds (a bound against a hang, not a speed requirement). */
async function finche(cond: () => boolean, what: string): Promise<void> {
  const until = Date.now() + 30_000;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`attesa scaduta: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describeDb('posta: guasti del server SMTP', (get) => {
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
  });

  test('a permanent refusal (550 at RCPT TO, 554 after the data) is scartato after one attempt, with the reason, on /posta; a 450 is retried', async () => {
    const db = get();
    const ctx = mailContext(db, { smtpUrl: smtp.url });
    const t0 = new Date('2026-04-14T06:00:00Z');
    ctx.clock.set(t0);
    smtp.rejectPermanent.add('inesistente@comune.example');
    smtp.dopoDati.set('contenuto@comune.example', 'rifiuta');
    smtp.reject.add('piena@comune.example');
    await enqueue(db.knex, [msg(1, 'inesistente@comune.example'), msg(2, 'contenuto@comune.example'), msg(3, 'piena@comune.example'), msg(4, 'sociale@lodi.example')]);

    expect(await deliverPending(ctx)).toEqual({ inviati: 1, falliti: 1, scartati: 2 });
    const r = await rows(db);
    expect(r.map((x) => [x.destinatario, x.stato, x.tentativi])).toEqual([
      ['inesistente@comune.example', 'scartato', 1],
      ['contenuto@comune.example', 'scartato', 1],
      ['piena@comune.example', 'fallito', 1],
      ['sociale@lodi.example', 'inviato', 1],
    ]);
    expect(r[0].ultimo_errore).toMatch(new RegExp(`^${RIFIUTO_PERMANENTE.replace(/[()"']/g, '.')}: 550 Mailbox `));
    expect(r[0].ultimo_errore).toMatch(/Mailbox inesistente@comune\.example unavailable/);
    expect(r[1].ultimo_errore).toMatch(/errore permanente.*: 554 /);
    expect(r[0].prossimo_tentativo).toBeNull();
    expect(r[2].ultimo_errore).toMatch(/^450 /);

    // A day later the refused ones are not tried again; the 450 is, and goes through.
    smtp.rejectPermanent.clear();
    smtp.dopoDati.clear();
    smtp.reject.clear();
    ctx.clock.set(new Date(t0.getTime() + 24 * 60 * MIN));
    expect(await deliverPending(ctx)).toEqual({ inviati: 1, falliti: 0, scartati: 0 });
    expect(smtp.received.map((m) => m.to).sort()).toEqual(['contenuto@comune.example', 'piena@comune.example', 'sociale@lodi.example']);

    // The office sees why on /posta.
    const { utente } = await createUser(db, { email: 'udp@test.example', ruolo: 'udp', password: 'password-lunga-2026' });
    const web = { ...ctx, config: { ...ctx.config, sessionSecret: TEST_SECRET } };
    const server = await startServer(web);
    try {
      const { browser } = await signedIn(web, server.url, utente);
      const page = await browser.get('/posta?stato=scartato');
      expect(page.status).toBe(200);
      expect(page.text).toContain('inesistente@comune.example');
      expect(page.text).toMatch(/rifiutato dal server di posta \(errore permanente: non viene ritentato/);
      expect(page.text).toMatch(/: 550 Mailbox inesistente@comune\.example unavailable/);
    } finally {
      await server.close();
    }
  });

  test('the whole message handed over, then the connection cut or silent: not sent again (esito incerto); a 250 then a cut: inviato', async () => {
    const db = get();
    const ctx = mailContext(db, { smtpUrl: smtp.url, env: { SMTP_TIMEOUT: '1' } });
    const t0 = new Date('2026-04-15T06:00:00Z');
    ctx.clock.set(t0);
    smtp.dopoDati.set('cade@comune.example', 'cade');
    smtp.dopoDati.set('tace@comune.example', 'tace');
    smtp.dopoDati.set('accetta@comune.example', 'accetta-e-cade');
    await enqueue(db.knex, [msg(1, 'cade@comune.example'), msg(2, 'tace@comune.example'), msg(3, 'accetta@comune.example'), msg(4, 'sociale@lodi.example')]);

    expect(await deliverPending(ctx)).toEqual({ inviati: 2, falliti: 0, scartati: 2 });
    const r = await rows(db);
    expect(r.map((x) => [x.destinatario, x.stato, x.tentativi])).toEqual([
      ['cade@comune.example', 'scartato', 1],
      ['tace@comune.example', 'scartato', 1],
      ['accetta@comune.example', 'inviato', 1],
      ['sociale@lodi.example', 'inviato', 1],
    ]);
    expect(r[0].ultimo_errore).toMatch(new RegExp(`^${ESITO_INCERTO_CONNESSIONE.replace(/[()"']/g, '.')} \\(ECONNECTION: `));
    expect(r[1].ultimo_errore).toMatch(/^esito incerto: .* \(ETIMEDOUT: /);

    // Every pass after that sends nothing: the server got each message exactly once.
    smtp.dopoDati.clear();
    for (const later of [11 * MIN, 24 * 60 * MIN]) {
      ctx.clock.set(new Date(t0.getTime() + later));
      expect(await deliverPending(ctx)).toEqual({ inviati: 0, falliti: 0, scartati: 0 });
    }
    expect(smtp.received.map((m) => m.to).sort()).toEqual(['accetta@comune.example', 'cade@comune.example', 'sociale@lodi.example', 'tace@comune.example']);
  });

  test('a silent server: each attempt gives up after SMTP_TIMEOUT, and the messages wait for the next try', async () => {
    const db = get();
    // The default bound is 15 s; here half a second.
    const ctx = mailContext(db, { smtpUrl: smtp.url, env: { SMTP_TIMEOUT: '0.5', SMTP_CONNESSIONI: '2' } });
    expect(ctx.config.smtpTimeoutMs).toBe(500);
    const t0 = new Date('2026-04-16T06:00:00Z');
    ctx.clock.set(t0);
    smtp.silenzioso = true;
    await enqueue(db.knex, [msg(1), msg(2), msg(3)]);

    expect(await deliverPending(ctx)).toEqual({ inviati: 0, falliti: 3, scartati: 0 });
    const r = await rows(db);
    for (const x of r) {
      expect([x.stato, x.tentativi]).toEqual(['fallito', 1]);
      expect(x.ultimo_errore).toMatch(/^ETIMEDOUT: /);
      expect(new Date(x.prossimo_tentativo).getTime()).toBe(t0.getTime() + 10 * MIN);
    }
    // The client hung up on the server each time, long before the 15 s default would have.
    await finche(() => smtp.connessioni === 0, 'connessioni chiuse');
    expect(smtp.sessioni).toHaveLength(3);
    for (const s of smtp.sessioni) expect(s.chiusa! - s.aperta).toBeLessThan(10_000);
    expect(smtp.received).toHaveLength(0);
  });

  test('60 messages to a healthy server go out over several connections at once, never more than SMTP_CONNESSIONI, each exactly once', async () => {
    const db = get();
    const ctx = mailContext(db, { smtpUrl: smtp.url, env: { SMTP_CONNESSIONI: '4' } });
    ctx.clock.set(new Date('2026-04-17T06:00:00Z'));
    await enqueue(db.knex, Array.from({ length: 60 }, (_, i) => msg(i + 1)));
    // The first message is held until a second one is in flight beside it: one sender at a time
    // would never get there (the server gives up waiting after 20 s and maxInVolo stays 1).
    smtp.attendiInVolo = 2;

    expect(await deliverPending(ctx)).toEqual({ inviati: 60, falliti: 0, scartati: 0 });
    expect(smtp.maxInVolo).toBeGreaterThan(1);
    expect(smtp.maxInVolo).toBeLessThanOrEqual(4);
    expect(smtp.maxConnessioni).toBeLessThanOrEqual(4);
    // Pooled: the connections carry many messages each (not one connection per message).
    expect(smtp.sessioni.length).toBeLessThanOrEqual(4);
    const ids = smtp.received.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(60);
    expect((await rows(db)).every((x) => x.stato === 'inviato' && x.tentativi === 1)).toBe(true);
    // The pass closes its transport: no connection is left open until the next one.
    await finche(() => smtp.connessioni === 0, 'connessioni chiuse a fine giro');
  });
});

describe('what an SMTP failure means (tipoErrore)', () => {
  const err = (responseCode: number | undefined, command: string, code = 'EENVELOPE') => ({ responseCode, command, code });
  test('a 5xx to the recipient or the data is permanent; to the session set-up, a 503, a 4xx or no answer it is not', () => {
    expect(tipoErrore(err(550, 'RCPT TO'), false)).toBe('permanente');
    expect(tipoErrore(err(554, 'DATA', 'EMESSAGE'), true)).toBe('permanente');
    expect(tipoErrore(err(535, 'AUTH PLAIN', 'EAUTH'), false)).toBe('temporaneo'); // wrong credentials: fix once, nothing to resend
    expect(tipoErrore(err(553, 'MAIL FROM'), false)).toBe('temporaneo'); // MAIL_FROM refused: the same
    expect(tipoErrore(err(554, 'CONN', 'EPROTOCOL'), false)).toBe('temporaneo'); // greeting refused
    expect(tipoErrore(err(503, 'RCPT TO'), false)).toBe('temporaneo'); // bad sequence: a session problem
    expect(tipoErrore(err(450, 'RCPT TO'), false)).toBe('temporaneo');
    expect(tipoErrore(err(451, 'DATA', 'EMESSAGE'), true)).toBe('temporaneo'); // an answer, even after the data: not accepted
    expect(tipoErrore(err(undefined, 'CONN', 'ECONNECTION'), true)).toBe('incerto');
    expect(tipoErrore(err(undefined, 'CONN', 'ETIMEDOUT'), true)).toBe('incerto');
    expect(tipoErrore(err(undefined, 'CONN', 'ECONNECTION'), false)).toBe('temporaneo'); // cut before the end: it cannot have been accepted
  });
});
