/** The job status page (UdP) and its JSON and CSV twins. */
import { describeDb, truncateAll } from '../support/db';
import { createUser } from '../../server/auth/utenti';
import { signedIn, startServer, testContext, TestServer } from '../auth/helpers';
import { gate, withJobs } from './support/jobs';
import { attendiEseguiOra } from '../../server/jobs-web/esegui';

describeDb('pagina dei job', (get) => {
  let ctx: ReturnType<typeof testContext>;
  let server: TestServer;
  let udpId: number;

  beforeAll(async () => {
    await truncateAll(get());
    ctx = testContext(get()); // clock: 2026-11-22T09:00:00Z
    udpId = (await createUser(get(), { email: 'udp@test.example', ruolo: 'udp', password: 'password-dei-test' })).utente.id;
    const t = (s: string) => new Date(`2026-11-22T${s}Z`);
    await get().knex('job_esecuzioni').insert([
      { job: 'inbox', avviato_il: t('01:00:00'), concluso_il: t('01:01:30'), esito: 'ok', istanza: 'srv1:10', origine: 'pianificatore', conteggi: JSON.stringify({ importati: 2 }), messaggio: 'Inbox: 2 importati\nsiz/e1: ok' },
      { job: 'inbox', avviato_il: t('01:00:00.5'), concluso_il: t('01:00:00.5'), esito: 'saltato', istanza: 'srv2:11', origine: 'pianificatore', messaggio: 'inbox: già in esecuzione' },
      { job: 'qualita', avviato_il: t('01:01:31'), concluso_il: t('01:01:33.4'), esito: 'fallito', istanza: 'srv1:10', origine: 'inbox', errore: 'disco pieno' },
      { job: 'vecchio', avviato_il: t('00:10:00'), esito: 'in_corso', istanza: 'srv1:10' },
    ]);
    server = await startServer(ctx);
  });
  afterAll(async () => server?.close());

  test('/api/job: each job with schedule, next time and latest run; the recent runs', async () => {
    const { browser } = await signedIn(ctx, server.url, { id: udpId, email: 'udp@test.example', ruolo: 'udp', codice_istat: null, operatore_id: null });
    const res = await browser.get('/api/job');
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body.generato_il).toBe('2026-11-22T09:00:00.000Z');
    expect(body.fuso_orario).toBe('Europe/Rome');
    const inbox = body.job.find((j: { job: string }) => j.job === 'inbox');
    expect(inbox).toMatchObject({ pianificazione: '0 2 * * *', prossima_esecuzione: '2026-11-23T01:00:00.000Z' });
    // the latest run is the skipped one (it started last)
    expect(inbox.ultima).toMatchObject({ esito: 'saltato', durata_s: 0, istanza: 'srv2:11' });
    const qualita = body.job.find((j: { job: string }) => j.job === 'qualita');
    expect(qualita).toMatchObject({ pianificazione: null, prossima_esecuzione: null, ultima: { esito: 'fallito', durata_s: 2.4, errore: 'disco pieno', origine: 'inbox' } });
    // a job that is no longer registered but has runs stays visible
    expect(body.job.map((j: { job: string }) => j.job)).toContain('vecchio');
    expect(body.esecuzioni.map((e: { job: string; esito: string }) => `${e.job}:${e.esito}`)).toEqual(['qualita:fallito', 'inbox:saltato', 'inbox:ok', 'vecchio:in_corso']);
    expect(body.esecuzioni[2]).toMatchObject({ durata_s: 90, conteggi: { importati: 2 } });
  });

  test('/job: the same in Italian, times in Rome', async () => {
    const { browser } = await signedIn(ctx, server.url, { id: udpId, email: 'udp@test.example', ruolo: 'udp', codice_istat: null, operatore_id: null });
    const res = await browser.get('/job');
    expect(res.status).toBe(200);
    expect(res.text).toContain('23/11/2026 02:00:00'); // next inbox run
    expect(res.text).toContain('22/11/2026 02:01:31'); // qualita started (Rome time)
    expect(res.text).toContain('1 min 30 s');
    expect(res.text).toContain('disco pieno');
    expect(res.text).toMatch(/badge bg-danger">fallito/);
    expect(res.text).toMatch(/badge bg-secondary">saltato/);
    expect(res.text).toMatch(/dopo le importazioni o a richiesta/);
    const csv = await browser.get('/api/job?formato=csv');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe('job;pianificazione;prossima_esecuzione;esito;avviato_il;concluso_il;durata_s;messaggio;errore');
    expect(csv.text).toMatch(/\r\ninbox;0 2 \* \* \*;2026-11-23T01:00:00.000Z;saltato;/);
  });

  test('"Esegui ora": the run is logged like the scheduler\'s, shown in progress, never started twice, then its result', async () => {
    const { browser, csrf } = await signedIn(ctx, server.url, { id: udpId, email: 'udp@test.example', ruolo: 'udp', codice_istat: null, operatore_id: null });
    const g = gate();
    let runs = 0;
    await withJobs([{ name: 'prova', async run() { runs++; await g.promise; return { messaggio: 'Prova conclusa: 3 righe.', conteggi: { righe: 3 } }; } }], async () => {
      const page = await browser.get('/job');
      expect(page.text).toContain('action="/job/prova/esegui"');
      const first = await browser.request('POST', '/job/prova/esegui', { form: { _csrf: csrf } });
      expect(first.status).toBe(303);
      const id = /^\/job\?esecuzione=(\d+)$/.exec(first.location ?? '')?.[1];
      expect(id).toBeDefined();
      const during = await browser.get(first.location!);
      expect(during.text).toContain(`data-attendi="/api/job/esecuzioni/${id}"`);
      expect(during.text).toContain('La pagina si aggiorna da sola');
      expect(during.text).not.toContain('action="/job/prova/esegui"'); // shown as running, no button
      // A second click while it runs: not started again.
      const second = await browser.request('POST', '/job/prova/esegui', { form: { _csrf: csrf } });
      expect(second.location).toBe(`/job?gia=prova&esecuzione=${id}`);
      expect((await browser.get(second.location!)).text).toContain('è già in esecuzione: non è stato avviato una seconda volta');
      expect(JSON.parse((await browser.get(`/api/job/esecuzioni/${id}`)).text)).toMatchObject({ job: 'prova', esito: 'in_corso', origine: 'a richiesta (udp@test.example)' });
      g.open();
      await attendiEseguiOra(ctx);
      expect(runs).toBe(1);
      expect(JSON.parse((await browser.get(`/api/job/esecuzioni/${id}`)).text)).toMatchObject({ esito: 'ok', messaggio: 'Prova conclusa: 3 righe.', conteggi: { righe: 3 } });
      const after = await browser.get(`/job?esecuzione=${id}`);
      expect(after.text).toContain('Prova conclusa: 3 righe.');
      expect(after.text).not.toContain('data-attendi');
      expect(await get().knex('job_esecuzioni').where({ job: 'prova' }).pluck('esito')).toEqual(['ok']);
      expect(await get().knex('audit').where({ azione: 'job_eseguito' }).pluck('email')).toEqual(['udp@test.example']);
    });
    expect((await browser.request('POST', '/job/inesistente/esegui', { form: { _csrf: csrf } })).status).toBe(404);
  });
});
