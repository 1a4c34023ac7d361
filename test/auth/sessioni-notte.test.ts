/**
 * The session check while PGlite's only connection is taken (server/auth/memo-sessioni.ts,
 * docs/fatti.md). Checked by order, not by time: a transaction holds the connection and runs
 * statement after statement until the page has answered (or for a fixed number of statements);
 * a page answered before the release was served without the database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate, openDb, Database } from '../../server/db';
import { seedComuni } from '../support/fixtures';
import { createUser } from '../../server/auth/utenti';
import { IDLE_MS } from '../../server/auth/sessioni';
import { MemoSessioni, SESSIONE_RECENTE_MS, toccaAccessi } from '../../server/auth/memo-sessioni';
import { cambiaRuolo, impostaAttivo } from '../../server/account/service';
import { Browser, MutableClock, Risposta, signedIn, startServer, testContext, TestServer } from './helpers';
import type { Utente } from '../../server/auth/tipi';

jest.setTimeout(120_000);

const PAGINA = '/sportello?anno=2025';
/** Statements run while a refused session waits: far more than a page served from memory needs. */
const TENUTA = 2_000;

describe('sessione durante la notte (PGlite)', () => {
  let dir: string;
  let db: Database;
  let server: TestServer;
  let ctx: ReturnType<typeof testContext>;
  let n = 0;

  const nuovoUdp = async (): Promise<Utente> => (await createUser(db, { email: `udp${++n}@test.example`, ruolo: 'udp', password: 'password-dei-test' })).utente;

  /**
   * Holds the connection in a transaction and runs `select 1` one after the other until the
   * request has answered or `massimo` statements have run, then releases it. Returns the order of
   * the answer and the release, and the answer.
   */
  async function mentreOccupata(browser: Browser, massimo: number): Promise<{ ordine: string[]; r: Risposta; istruzioni: number }> {
    const ordine: string[] = [];
    const trx = await db.knex.transaction();
    let r: Risposta | null = null;
    const risposta = browser.get(PAGINA).then((x) => {
      ordine.push('risposta');
      r = x;
    });
    let istruzioni = 0;
    try {
      while (r === null && istruzioni < massimo) {
        await trx.raw('select 1');
        istruzioni++;
      }
    } finally {
      ordine.push('rilascio');
      await trx.commit();
    }
    await risposta;
    return { ordine, r: r!, istruzioni };
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sessioni-notte-'));
    db = await openDb({ pgliteDir: dir });
    await migrate(db);
    await seedComuni(db);
    ctx = testContext(db);
    server = await startServer(ctx);
  });
  afterAll(async () => {
    await server?.close();
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('una pagina già calcolata risponde con la sessione verificata poco prima, mentre una transazione lunga tiene la connessione', async () => {
    const { browser } = await signedIn(ctx, server.url, await nuovoUdp());
    const prima = await browser.get(PAGINA);
    expect(prima.status).toBe(200);
    // Without a turn of the event loop between statements, the request is not even read before
    // the chain ends (PGlite answers with promises only): server/db.ts.
    const { ordine, r, istruzioni } = await mentreOccupata(browser, 50_000);
    expect(ordine).toEqual(['risposta', 'rilascio']);
    expect(istruzioni).toBeLessThan(50_000);
    expect(r.status).toBe(200);
    expect(r.text).toContain('<main');
  });

  test('dopo il logout nello stesso processo la sessione non vale più, nemmeno a connessione presa', async () => {
    const { browser, csrf } = await signedIn(ctx, server.url, await nuovoUdp());
    expect((await browser.get(PAGINA)).status).toBe(200);
    const cookie = [...browser.cookies];
    expect((await browser.post('/logout', { _csrf: csrf })).status).toBe(303);
    // The same cookie again, as a copy kept by an attacker or a second tab.
    for (const [k, v] of cookie) browser.cookies.set(k, v);
    const { ordine, r } = await mentreOccupata(browser, TENUTA);
    expect(ordine).toEqual(['rilascio', 'risposta']);
    expect(r.status).toBe(302);
    expect(r.location).toMatch(/^\/login\?/);
  });

  test("un account disattivato dall'ufficio non legge più, nemmeno a connessione presa", async () => {
    const u = await nuovoUdp();
    const admin = await nuovoUdp();
    const { browser } = await signedIn(ctx, server.url, u);
    expect((await browser.get(PAGINA)).status).toBe(200);
    await impostaAttivo(ctx, u.id, false, { utente_id: admin.id, email: admin.email });
    const { ordine, r } = await mentreOccupata(browser, TENUTA);
    expect(ordine).toEqual(['rilascio', 'risposta']);
    expect(r.status).toBe(302);
  });

  test('un cambio di ruolo vale subito: la sessione con il ruolo di prima non passa', async () => {
    const u = await nuovoUdp();
    const admin = await nuovoUdp();
    const { browser } = await signedIn(ctx, server.url, u);
    expect((await browser.get(PAGINA)).status).toBe(200);
    const { codice_istat } = await db.knex('comuni').first('codice_istat');
    await cambiaRuolo(ctx, u.id, { ruolo: 'comune', codice_istat }, { utente_id: admin.id, email: admin.email });
    const { ordine, r } = await mentreOccupata(browser, TENUTA);
    expect(ordine).toEqual(['rilascio', 'risposta']);
    expect(r.status).toBe(302);
  });

  test('una sessione scaduta per inattività non passa, anche se verificata un momento prima', async () => {
    const { browser } = await signedIn(ctx, server.url, await nuovoUdp());
    expect((await browser.get(PAGINA)).status).toBe(200);
    (ctx.clock as MutableClock).advance(IDLE_MS);
    try {
      const { ordine, r } = await mentreOccupata(browser, TENUTA);
      expect(ordine).toEqual(['rilascio', 'risposta']);
      expect(r.status).toBe(302);
      expect(r.location).toContain('scaduta=1');
    } finally {
      (ctx.clock as MutableClock).advance(-IDLE_MS);
    }
  });
});

describe('MemoSessioni', () => {
  const adesso = new Date('2026-11-22T09:00:00Z');
  const trovata = {
    sessione: { id: 'x', utente_id: 1, creata_il: adesso, ultima_attivita: adesso, scade_il: new Date(adesso.getTime() + 3_600_000), csrf: 'c', dati: {} },
    utente: { id: 1, email: 'a@test.example', ruolo: 'udp' as const, codice_istat: null, operatore_id: null },
  };

  test('vale meno di SESSIONE_RECENTE_MS dopo la verifica, non al limite', () => {
    const m = new MemoSessioni();
    m.ricorda('x', trovata, m.generazione, 1_000);
    expect(m.recente('x', adesso, 1_000 + SESSIONE_RECENTE_MS - 1)).toBe(trovata);
    expect(m.recente('x', adesso, 1_000 + SESSIONE_RECENTE_MS)).toBeUndefined();
    // Forgotten once stale.
    expect(m.recente('x', adesso, 1_000)).toBeUndefined();
  });

  test("non vale oltre la scadenza della sessione (inattività e limite assoluto), per l'orologio dell'app", () => {
    const m = new MemoSessioni();
    m.ricorda('x', trovata, m.generazione, 0);
    expect(m.recente('x', new Date(adesso.getTime() + IDLE_MS - 1), 1)).toBe(trovata);
    expect(m.recente('x', new Date(adesso.getTime() + IDLE_MS), 1)).toBeUndefined();
    const breve = { ...trovata, sessione: { ...trovata.sessione, scade_il: new Date(adesso.getTime() + 60_000) } };
    m.ricorda('y', breve, m.generazione, 0);
    expect(m.recente('y', new Date(adesso.getTime() + 59_999), 1)).toBe(breve);
    expect(m.recente('y', new Date(adesso.getTime() + 60_000), 1)).toBeUndefined();
  });

  test('svuotata, non ricorda una verifica cominciata prima', () => {
    const m = new MemoSessioni();
    m.ricorda('x', trovata, m.generazione, 0);
    const g = m.generazione;
    m.svuota();
    expect(m.recente('x', adesso, 1)).toBeUndefined();
    m.ricorda('x', trovata, g, 1);
    expect(m.recente('x', adesso, 2)).toBeUndefined();
    m.ricorda('x', trovata, m.generazione, 1);
    expect(m.recente('x', adesso, 2)).toBe(trovata);
  });

  test('ogni scrittura su sessioni o utenti la svuota, le letture no', () => {
    expect(toccaAccessi('delete from "sessioni" where "utente_id" = ?')).toBe(true);
    expect(toccaAccessi('update "utenti" set "attivo" = ? where "id" = ?')).toBe(true);
    expect(toccaAccessi('insert into "sessioni" ("id") values (?)')).toBe(true);
    expect(toccaAccessi('with x as (delete from sessioni returning id) select count(*) from x')).toBe(true);
    expect(toccaAccessi('select * from "sessioni" as "s" inner join "utenti" as "u" on "u"."id" = "s"."utente_id"')).toBe(false);
    expect(toccaAccessi('insert into "audit" ("azione") values (?)')).toBe(false);
    expect(toccaAccessi(undefined)).toBe(false);
  });
});
