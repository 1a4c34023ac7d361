/**
 * The digest through a real SMTP server (smtp-server on 127.0.0.1, an ephemeral port), sent by
 * the real `variazioni` job (runJob: lock, run log, outbox, delivery). The RAW messages, as the
 * server received them, must carry no codice fiscale, name or address of anyone in the registry.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { runJob } from '../../jobs';
import { fixedClock } from '../../server/context';
import { testContext } from '../auth/helpers';
import { describeDb, truncateAll } from '../support/db';
import { cleanupFiles, importa, T1 } from './helpers';
import { DATI_PERSONALI, seedScenario, T1_RIGHE } from './scenario';

interface Ricevuto {
  to: string[];
  raw: string;
}

async function startSmtp(): Promise<{ port: number; ricevuti: Ricevuto[]; close(): Promise<void> }> {
  const ricevuti: Ricevuto[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        ricevuti.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const port = (server.server.address() as AddressInfo).port;
  return { port, ricevuti, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Every piece of personal data found in the text, ignoring case. */
function trovati(text: string): string[] {
  const t = text.toLowerCase();
  return DATI_PERSONALI.filter((d) => t.includes(d.toLowerCase()));
}

describeDb('variazioni: riepilogo e-mail con un vero server SMTP', (get) => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    await truncateAll(get());
    await seedScenario(get());
  });
  afterAll(async () => {
    await smtp?.close();
    cleanupFiles();
  });

  const ctxAt = (day: string) => testContext(get(), { clock: fixedClock(day), env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, BASE_URL: 'https://cruscotto.example' } });

  test('un messaggio per operatore con e-mail, senza CF, nomi o indirizzi nel messaggio grezzo', async () => {
    const res = await runJob(ctxAt('2026-11-22'), 'variazioni');
    expect(res.esito).toBe('ok');
    expect(res.conteggi).toMatchObject({ allarmi: 6, email: 2, inviati: 2, senza_email: 1, senza_operatore: 1 });

    // The detector itself finds what it looks for.
    expect(trovati(`Gentile ${DATI_PERSONALI[0].toLowerCase()}, via roma 1`)).toEqual([DATI_PERSONALI[0], 'Via Roma 1']);
    expect(smtp.ricevuti.map((m) => m.to.join(',')).sort()).toEqual(['op1@servizi.example', 'op2@servizi.example']);
    for (const m of smtp.ricevuti) {
      expect(trovati(m.raw)).toEqual([]);
      const parsed = await simpleParser(m.raw);
      // Decoded too: quoted-printable or base64 must not hide anything either.
      expect(trovati(`${parsed.subject}\n${parsed.text}\n${parsed.html}`)).toEqual([]);
      expect(parsed.subject).toMatch(/^Variazioni anagrafiche: \d+ notific/);
      expect(parsed.text).toContain('https://cruscotto.example/notifiche');
    }
    const op2 = await simpleParser(smtp.ricevuti.find((m) => m.to.includes('op2@servizi.example'))!.raw);
    expect(op2.subject).toBe('Variazioni anagrafiche: 2 notifiche sui casi in carico');
    expect(op2.text).toContain(`- Cambio di famiglia anagrafica, anagrafe del 21/11/2026, cartella C3`);
    expect(op2.text).toContain(`- Cambio di indirizzo, anagrafe del 21/11/2026, cartella C3`);
    expect(await get().knex('posta').where('tipo', 'variazioni').pluck('stato')).toEqual(['inviato', 'inviato']);
  });

  test('rieseguire il job o reimportare lo stesso snapshot non manda altre e-mail', async () => {
    const prima = smtp.ricevuti.length;
    expect((await runJob(ctxAt('2026-11-23'), 'variazioni')).conteggi).toMatchObject({ allarmi: 0, email: 0, inviati: 0 });
    await importa(get(), T1, T1_RIGHE);
    expect((await runJob(ctxAt('2026-11-23'), 'variazioni')).conteggi).toMatchObject({ allarmi: 0, email: 0, inviati: 0 });
    expect(smtp.ricevuti.length).toBe(prima);
    expect(await get().knex('allarmi').count('* as n')).toEqual([{ n: 6 }]);
  });
});
