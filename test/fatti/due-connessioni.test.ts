/**
 * The facts computed on two connections (PostgreSQL, server/fatti/seconda.ts): the same rows as
 * on one; every step reads the snapshot of the first connection, also when the data change
 * meanwhile; a failure on either connection (an SQL error, a backend killed, a job whose step
 * fails) leaves the previous facts as they were and nothing behind (no table, no temporary
 * table, no open transaction); readers from other connections see the old facts or the new
 * ones, never a part. PGlite (one connection) keeps the steps one after the other.
 */
import { describeDb, type TestDb } from '../support/db';
import { tempFiles } from '../support/files';
import { importSiz } from '../../server/importazione/siz';
import { normalizeName } from '../../server/importazione/valori';
import { calcolaFatti, SECONDA, TABELLE_FATTI } from '../../server/fatti/calcola';
import { PASSI } from '../../server/fatti/passi';
import type { Tappa } from '../../server/fatti/seconda';
import { runJob } from '../../jobs';
import { testContext } from '../auth/helpers';
import { COMUNI, estratto } from './support/ambito';

const OGGI = '2026-11-22';

/** Every row of every facts table (sorted text), and the state row (without its seconds). */
async function fatti(db: TestDb): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of TABELLE_FATTI) out[t] = ((await db.knex(t).select('*')) as object[]).map((r) => JSON.stringify(r)).sort();
  out.fatti_stato = ((await db.knex('fatti_stato').select('fonte', 'calcolato_il', 'dati_al', 'chiavi')) as object[]).map((r) => JSON.stringify(r));
  return out;
}

/** What a reader sees in one statement (one snapshot): the state and a digest of every table. */
async function lettura(db: TestDb): Promise<string> {
  const parti = TABELLE_FATTI.map((t) => `(select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from ?? x)`);
  const r = (await db.knex.raw(`select cast((select calcolato_il from fatti_stato where id = 1) as text) as stato, ${parti.join(', ')}`, [...TABELLE_FATTI])).rows[0] as Record<string, string>;
  return JSON.stringify(Object.values(r));
}

/**
 * Nothing left behind: the schema's tables as before, and on every connection of the pool no
 * temporary table of the facts and no transaction left open.
 */
async function nullaLasciato(db: TestDb, tabelle: string[]): Promise<void> {
  expect(await tabelleSchema(db)).toEqual(tabelle);
  const client = db.knex.client as { acquireConnection(): Promise<unknown>; releaseConnection(c: unknown): Promise<void> };
  const conns = await Promise.all([1, 2, 3, 4].map(() => client.acquireConnection()));
  try {
    const pids: number[] = [];
    for (const c of conns) {
      const r = (await db.knex.raw(`select pg_backend_pid() as pid, (select count(*) from pg_class where relnamespace = pg_my_temp_schema() and relname like 'fatti%') as temp`).connection(c as never)).rows[0];
      expect(Number(r.temp)).toBe(0);
      pids.push(r.pid);
    }
    const aperte = (await db.knex.raw(`select count(*) as n from pg_stat_activity where pid = any(?) and state like 'idle in transaction%'`, [pids]).connection(conns[0] as never)).rows[0];
    expect(Number(aperte.n)).toBe(0);
  } finally {
    for (const c of conns) await client.releaseConnection(c);
  }
}

const tabelleSchema = async (db: TestDb) =>
  ((await db.knex.raw(`select tablename from pg_tables where schemaname = current_schema() order by 1`)).rows as { tablename: string }[]).map((r) => r.tablename);

describeDb('fatti su due connessioni', (get, engine) => {
  beforeAll(async () => {
    await get().knex('comuni').insert(COMUNI.map(([codice_istat, nome, popolazione, distretto]) => ({ codice_istat, nome, nome_norm: normalizeName(nome), popolazione, distretto })));
    expect((await importSiz(get(), tempFiles(estratto(1)))).esito).toBe('ok');
  });

  test('le stesse righe con una connessione, con due e con ogni passo sulla seconda; PGlite sempre una', async () => {
    const db = get();
    const adesso = new Date('2026-11-22T02:00:00Z');
    const lati = new Set<string>();
    const tappa: Tappa = async (lato, momento) => void lati.add(`${lato} ${momento}`);
    const una = await calcolaFatti(db, OGGI, adesso, undefined, { seconda: [], tappa });
    const perUna = await fatti(db);
    expect([...lati].some((x) => x.startsWith('seconda'))).toBe(false);
    // Every table has rows: the comparison below compares something.
    for (const t of TABELLE_FATTI) expect(perUna[t].length).toBeGreaterThan(0);

    lati.clear();
    const due = await calcolaFatti(db, OGGI, adesso, undefined, { tappa });
    expect(await fatti(db)).toEqual(perUna);
    expect(due.righe).toBe(una.righe);
    expect(due.chiavi).toEqual(una.chiavi);
    if (engine === 'postgres') {
      // The default split really ran on two connections, the first waited for the second.
      for (const p of PASSI) expect(lati.has(`${SECONDA.includes(p.nome) ? 'seconda' : 'prima'} ${p.nome}`)).toBe(true);
      expect(lati.has('prima trasferimento')).toBe(true);
      expect(due.passi.trasferimento).toBeDefined();
    } else {
      expect([...lati].some((x) => x.startsWith('seconda'))).toBe(false);
      expect(due.passi.trasferimento).toBeUndefined();
    }

    // Every step on the second connection: every table goes through its temporary table and COPY.
    lati.clear();
    const tutte = await calcolaFatti(db, OGGI, adesso, undefined, { seconda: PASSI.map((p) => p.nome), tappa });
    expect(await fatti(db)).toEqual(perUna);
    expect(tutte.righe).toBe(una.righe);
    if (engine === 'postgres') expect([...lati].filter((x) => x.startsWith('prima') && !['prima istantanea', 'prima trasferimento', 'prima stato'].includes(x))).toEqual([]);
  });

  if (engine !== 'postgres') return;

  test('ogni passo legge la stessa istantanea: un accesso aggiunto (e confermato) dopo il suo inizio non entra in nessuna tabella', async () => {
    const db = get();
    await calcolaFatti(db, OGGI, new Date('2026-11-22T02:00:00Z'), undefined, { seconda: [] });
    const prima = await fatti(db);
    // A copy of an accesso of Lodi in November 2026, with a motivo: it counts in the sportello
    // and the breakdowns (second connection), and in the categories and the months (first).
    const modello = await db.knex('accessi').where({ codice_istat: '098031' }).whereNotNull('codice_fiscale').first();
    const nuovo = { ...modello, id_accesso: 'Z0001', data_accesso: '2026-11-10', motivo_accesso: 'CASA', problema_riscontrato: 'DISAGIO' };
    const tappa: Tappa = async (lato, momento) => {
      if (lato === 'prima' && momento === 'istantanea') await db.knex('accessi').insert(nuovo); // its own connection, committed now
    };
    await calcolaFatti(db, OGGI, new Date('2026-11-22T02:00:00Z'), undefined, { tappa });
    expect(await fatti(db)).toEqual(prima);
    // Computed again, the accesso is in the tables of both connections.
    await calcolaFatti(db, OGGI, new Date('2026-11-22T02:00:00Z'), undefined, { seconda: [] });
    const dopo = await fatti(db);
    for (const t of ['fatti_sportello', 'fatti_ripartizioni', 'fatti_sportello_categorie', 'fatti_mese']) expect(dopo[t]).not.toEqual(prima[t]);
    await db.knex('accessi').where({ id_accesso: 'Z0001' }).del();
  });

  describe('un guasto lascia i fatti di prima e nulla dietro di sé', () => {
    let prima: Record<string, string[]>;
    let tabelle: string[];
    beforeAll(async () => {
      const db = get();
      await calcolaFatti(db, OGGI, new Date('2026-11-21T02:00:00Z'));
      prima = await fatti(db);
      tabelle = await tabelleSchema(db);
      // New data: a computation that went through would change the facts.
      expect((await importSiz(db, tempFiles(estratto(2, 420)))).esito).toBe('ok');
    });

    test("un errore SQL sulla seconda connessione, a metà dei suoi passi", async () => {
      const db = get();
      const tappa: Tappa = async (lato, momento, trx) => {
        if (lato === 'seconda' && momento === SECONDA[1]) await trx.raw('select 1 / 0');
      };
      await expect(calcolaFatti(db, OGGI, new Date(), undefined, { tappa })).rejects.toThrow(/division by zero/);
      expect(await fatti(db)).toEqual(prima);
      await nullaLasciato(db, tabelle);
    });

    test('la seconda connessione uccisa (il suo backend terminato)', async () => {
      const db = get();
      const tappa: Tappa = async (lato, momento, trx) => {
        if (lato === 'seconda' && momento === SECONDA[0]) await trx.raw('select pg_terminate_backend(pg_backend_pid())');
      };
      await expect(calcolaFatti(db, OGGI, new Date(), undefined, { tappa })).rejects.toThrow(/terminat/i);
      expect(await fatti(db)).toEqual(prima);
      await nullaLasciato(db, tabelle);
    });

    test('un errore sulla prima mentre la seconda calcola: la seconda si ferma', async () => {
      const db = get();
      let secondaDopo = 0;
      let fallita = false;
      const tappa: Tappa = async (lato, momento, trx) => {
        if (lato === 'seconda' && fallita) secondaDopo++;
        if (lato === 'prima' && momento === 'sportello_categorie') {
          fallita = true;
          await trx.raw('select 1 / 0');
        }
      };
      await expect(calcolaFatti(db, OGGI, new Date(), undefined, { tappa, seconda: ['ripartizioni', 'sportello', 'non_attribuiti', 'codici'] })).rejects.toThrow(/division by zero/);
      // At most the step running when the first failed: the next ones never start.
      expect(secondaDopo).toBeLessThanOrEqual(1);
      expect(await fatti(db)).toEqual(prima);
      await nullaLasciato(db, tabelle);
    });

    test('il job fatti: un passo della seconda connessione fallisce, il job lo riporta, i fatti restano', async () => {
      const db = get();
      // The breakdowns (on the second connection) are the only facts that call fascia_eta.
      expect(SECONDA).toContain('ripartizioni');
      await db.knex.raw('alter function fascia_eta rename to fascia_eta_guasta');
      try {
        await expect(runJob(testContext(db), 'fatti', { oggi: OGGI })).rejects.toThrow(/fascia_eta/);
      } finally {
        await db.knex.raw('alter function fascia_eta_guasta rename to fascia_eta');
      }
      const [run] = await db.knex('job_esecuzioni').where({ job: 'fatti' }).orderBy('id', 'desc').limit(1).select('esito', 'errore');
      expect(run.esito).toBe('fallito');
      expect(run.errore).toMatch(/fascia_eta/);
      expect(await fatti(db)).toEqual(prima);
      await nullaLasciato(db, tabelle);
    });

    test('lettori da altre connessioni: a ogni tappa di entrambe le connessioni i fatti vecchi, alla fine i nuovi, mai una parte', async () => {
      const db = get();
      const vecchi = await lettura(db);
      const alleTappe: string[] = [];
      const tappa: Tappa = async () => void alleTappe.push(await lettura(db));
      // A reader all along, besides.
      const viste = new Set<string>();
      let finito = false;
      const lettore = (async () => {
        while (!finito) viste.add(await lettura(db));
      })();
      try {
        await calcolaFatti(db, OGGI, new Date(), undefined, { tappa });
      } finally {
        finito = true;
        await lettore;
      }
      const nuovi = await lettura(db);
      expect(nuovi).not.toBe(vecchi);
      // Both connections stopped at every step, after the second was done and before the state.
      expect(alleTappe.length).toBe(PASSI.length + 3);
      expect(new Set(alleTappe)).toEqual(new Set([vecchi]));
      expect([...viste].every((v) => v === vecchi || v === nuovi)).toBe(true);
      // And the new facts are those of one connection.
      const perDue = await fatti(db);
      await calcolaFatti(db, OGGI, new Date(JSON.parse(perDue.fatti_stato[0]).calcolato_il), undefined, { seconda: [] });
      const perUna = await fatti(db);
      expect(perDue).toEqual(perUna);
    });
  });
});
