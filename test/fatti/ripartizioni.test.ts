/**
 * The precomputed breakdowns (server/fatti, docs/analisi.md "Ripartizioni") give the very figures
 * /analisi/ripartizioni computes from the accessi: for every year of the facts and one older,
 * the whole ambito and every comune, the raw figures and the documents (office, and a comune's
 * account reading the ambito with its own figures) from the facts equal those from the data, on
 * a varied sportello imported through the SIZ import, with a registry imported through the
 * registry import; again after an import that changes the accessi and after one that changes
 * the registry (in between the breakdowns' facts are stale and not read); the route reads the
 * facts for a whole year of the ambito or of one comune, and the accessi for the rest.
 */
import fs from 'node:fs';
import { describeDb } from '../support/db';
import { csv, tempFiles } from '../support/files';
import { buildCf } from '../../server/shared/cf';
import { importSiz } from '../../server/importazione/siz';
import { importAnagrafe } from '../../server/importazione/anagrafe';
import { calcolaFatti } from '../../server/fatti/calcola';
import * as fatti from '../../server/fatti/leggi';
import { caricaContesto, Contesto } from '../../server/cruscotto/contesto';
import { documentoRipartizioni, leggiRipartizioni, leggiRipartizioniAnno, TABELLE, totali } from '../../server/analisi/ripartizioni';
import { parseRipartizioni } from '../../server/analisi/ripartizioni-parametri';
import { normalizeName } from '../../server/importazione/valori';
import { createUser } from '../../server/auth/utenti';
import type { Utente } from '../../server/auth/tipi';
import { signedIn, startServer, testContext } from '../auth/helpers';
import { omocodia } from '../analisi/ripartizioni-dati';
import { mulberry32 as rng } from '../support/rng';

const OGGI = '2026-11-22';
// [istat, nome, popolazione, distretto, attivo]: 098005 is not active (never counted).
const COMUNI: [string, string, number, string, boolean][] = [
  ['098031', 'Lodi', 45000, 'Lodi', true],
  ['098010', 'Brembio', 2800, 'Casalpusterlengo', true],
  ['098047', "Sant'Angelo Lodigiano", 13000, "Sant'Angelo Lodigiano", true],
  ['098001', 'Abbadia Cerreto', 300, 'Lodi', true],
  ['098019', 'Casalpusterlengo', 15000, 'Casalpusterlengo', true],
  ['098005', 'Borgo San Giovanni', 2400, "Sant'Angelo Lodigiano", false],
];
const PUNTI = ['Sportello A', ' Sportello A ', 'Sportello B', 'Segretariato', '', '  '];
// Italy (Lodi, Milano), Morocco, Romania, Albania, and a Z code not in the table.
const LUOGHI = ['E648', 'F205', 'Z330', 'Z129', 'Z100', 'Z999'];

/**
 * Person i: a valid CF (born 1925-2019, some on 29 February, every kind of birthplace, some
 * with omocodia in the day or the place code), or every eleventh an invalid one.
 */
function cf(i: number): string {
  if (i % 11 === 0) return `CFNONVALIDO${String(i).padStart(5, '0')}`;
  const anno = 1925 + ((i * 7) % 95);
  const nascita = i % 10 === 3 ? `${anno - (anno % 4)}-02-29` : `${anno}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
  const c = buildCf('RSS', 'MRA', nascita, i % 2 ? 'F' : 'M', LUOGHI[i % LUOGHI.length]);
  return i % 7 === 0 ? omocodia(c, i % 2 ? [9, 10] : [12, 13, 14]) : c;
}

/**
 * A SIZ extract: `n` accessi from 2022 to November 2026 over the comuni (the inactive one
 * included) and one outside the registry; people in several comuni, several accessi on the same
 * day in different comuni (the latest is the greatest id), some without CF, some with the
 * row's own birth date, punti with spaces or none.
 */
function estratto(seme: number, n: number): Record<string, string> {
  const r = rng(seme);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const giorno = () => new Date(Date.UTC(2022, 0, 1) + Math.floor(r() * (Date.UTC(2026, 10, 20) - Date.UTC(2022, 0, 1)))).toISOString().slice(0, 10);
  const accessi = [['id_accesso', 'codice_fiscale', 'codice_istat', 'data_accesso', 'data_nascita', 'area_utenza', 'motivo_accesso', 'problema_riscontrato', 'punto_accesso']];
  let prima = { cf: cf(1), data: '2025-06-01' };
  for (let i = 1; i <= n; i++) {
    // Now and then the same person on the same day again, elsewhere.
    const stesso = r() < 0.15;
    const persona = stesso ? prima.cf : r() < 0.08 ? '' : cf(1 + Math.floor(r() * 80));
    const data = stesso ? prima.data : giorno();
    const istat = r() < 0.05 ? '099999' : pick(COMUNI)[0];
    const nascitaRiga = r() < 0.2 ? `19${String(10 + Math.floor(r() * 89)).padStart(2, '0')}-0${1 + Math.floor(r() * 9)}-15` : '';
    accessi.push([`A${String(i).padStart(4, '0')}`, persona, istat, data, nascitaRiga, 'adulti', 'CASA', 'DISAGIO', pick(PUNTI)]);
    if (persona) prima = { cf: persona, data };
  }
  return {
    'accessi.csv': csv(accessi),
    'cartelle.csv': csv([['id_cartella', 'codice_istat', 'data_apertura', 'data_chiusura', 'area_utenza', 'tutela_minori', 'operatore_id'], ['C0001', '098031', '2023-03-01', '', 'adulti', 'no', 'OP1']]),
    'membri.csv': csv([['id_cartella', 'codice_fiscale', 'ruolo', 'data_inizio', 'data_fine', 'data_nascita'], ['C0001', cf(1), 'titolare', '', '', '']]),
    'prestazioni.csv': csv([['id_prestazione', 'id_cartella', 'codice_fiscale', 'codice_istat', 'codice_prestazione', 'descrizione', 'data_erogazione', 'costo', 'quota_comune', 'recupero_assistito', 'recupero_famiglia', 'recupero_altri_enti', 'recupero_altri'], ['P0001', 'C0001', cf(1), '098031', 'A1.01.01-BUONI SPESA', 'Buoni spesa', '2024-05-05', '100', '', '', '', '', '']]),
    'estrazione.txt': `2026-11-2${seme}\n`,
  };
}

/**
 * A registry snapshot of one comune at a date: the valid CFs of people `da`..`a` whose index
 * passes `chi`, with the sesso `sesso(i)` (against the CF's, for some).
 */
function anagrafe(istat: string, da: number, a: number, chi: (i: number) => boolean, sesso: (i: number) => string): string {
  const righe = [['codice_fiscale', 'codice_istat', 'id_famiglia', 'sesso']];
  for (let i = da; i <= a; i++) if (i % 11 !== 0 && chi(i)) righe.push([cf(i), istat, `F${i}`, sesso(i)]);
  return csv(righe);
}

const UDP: Utente = { id: 1, email: 'u@test.example', ruolo: 'udp', codice_istat: null, operatore_id: null };
const DI = (istat: string): Utente => ({ id: 2, email: 'c@test.example', ruolo: 'comune', codice_istat: istat, operatore_id: null });

describeDb('ripartizioni precalcolate: le stesse cifre calcolate dagli accessi', (get) => {
  let ctx: Contesto;

  const registro = async (file: string, data: string) => {
    const dir = tempFiles({ 'anagrafe.csv': file });
    expect((await importAnagrafe(get(), `${dir}/anagrafe.csv`, { data, oggi: OGGI })).esito).toBe('ok');
  };

  beforeAll(async () => {
    await get().knex('comuni').insert(COMUNI.map(([codice_istat, nome, popolazione, distretto, attivo]) => ({ codice_istat, nome, nome_norm: normalizeName(nome), popolazione, distretto, attivo })));
    expect((await importSiz(get(), tempFiles(estratto(1, 420)))).esito).toBe('ok');
    // Two snapshots: the later says the opposite of the CF for some people, the earlier the CF's.
    await registro(anagrafe('098031', 1, 80, (i) => i % 3 === 0, (i) => (i % 2 ? 'F' : 'M')), '2024-01-01');
    await registro(anagrafe('098010', 1, 80, (i) => i % 2 === 0, (i) => (i % 4 === 0 ? (i % 2 ? 'M' : 'F') : i % 2 ? 'F' : 'M')), '2025-06-01');
  });

  /**
   * Every year of the facts and `vecchio` (older than the facts: computed from the accessi on
   * both paths), the ambito and every comune: the raw figures, then the documents for the office
   * and for a comune's account (the ambito, with its own comune's figures), facts == data.
   */
  async function confronta(anni: number[], vecchio: number): Promise<number> {
    const db = get();
    ctx = await caricaContesto(db, OGGI);
    const stato = await fatti.fattiCorrenti(db);
    expect(stato).not.toBeNull();
    const tutti = ctx.comuni.map((c) => c.codice_istat);
    expect(tutti).not.toContain('098005');
    let confronti = 0;
    for (const anno of [...anni, vecchio]) {
      const dalleFatti = anno !== vecchio;
      for (const comune of [null, ...tutti]) {
        // The facts are what is read (or, for the older year, not there).
        expect([anno, comune, (await fatti.ripartizioni(db, stato, anno, comune)) !== null]).toEqual([anno, comune, dalleFatti]);
        const letti = await leggiRipartizioniAnno(db, anno, comune, tutti);
        const calcolati = await leggiRipartizioni(db, `${anno}-01-01`, `${anno}-12-31`, comune === null ? tutti : [comune]);
        expect([anno, comune, letti.dati]).toEqual([anno, comune, calcolati]);
        expect(letti.avviso).toBeNull();
        const p = parseRipartizioni({ anno: String(anno), ...(comune ? { comune } : {}) }, ctx, UDP, { api: true, tabelle: TABELLE });
        expect(documentoRipartizioni(p, letti.dati, { proprio: null, totaleSportello: undefined })).toEqual(documentoRipartizioni(p, calcolati, { proprio: null, totaleSportello: undefined }));
        confronti++;
        if (comune !== null) {
          // The comune's account reads the ambito with its own figures, shown as on /sportello.
          const pa = parseRipartizioni({ anno: String(anno) }, ctx, DI(comune), { api: true, tabelle: TABELLE });
          const ambito = await leggiRipartizioniAnno(db, anno, null, tutti);
          const ambitoDati = await leggiRipartizioni(db, pa.dal, pa.al, tutti);
          const opzioni = (proprio: typeof calcolati) => ({ proprio, totaleSportello: totali(ambitoDati).accessi });
          expect(documentoRipartizioni(pa, ambito.dati, opzioni(letti.dati))).toEqual(documentoRipartizioni(pa, ambitoDati, opzioni(calcolati)));
          confronti++;
        }
      }
    }
    return confronti;
  }

  /** Plain counts, independent of the queries: accessi and people of a year, the ambito and per comune. */
  async function conteggi(anno: number) {
    const db = get();
    const rows = (
      await db.knex.raw(
        `select a.codice_istat, count(*) as accessi, count(distinct a.codice_fiscale) as persone
         from accessi a join comuni c on c.codice_istat = a.codice_istat and c.attivo
         where a.data_accesso between ? and ? group by rollup (a.codice_istat)`,
        [`${anno}-01-01`, `${anno}-12-31`],
      )
    ).rows as { codice_istat: string | null; accessi: string; persone: string }[];
    return new Map(rows.map((r) => [r.codice_istat, { accessi: Number(r.accessi), persone: Number(r.persone) }]));
  }

  test("dopo il calcolo: ogni anno dei fatti e uno più vecchio, l'ambito e ogni comune, le stesse cifre; i totali sono i conteggi semplici", async () => {
    // Four years of facts, so that 2022 (with accessi) is older than the facts.
    await calcolaFatti(get(), OGGI, new Date(), 4);
    expect((await fatti.fattiCorrenti(get()))!.chiavi.anni).toEqual([2023, 2024, 2025, 2026]);
    expect(await confronta([2023, 2024, 2025, 2026], 2022)).toBe(5 * (1 + 2 * 5));
    const c = await conteggi(2025);
    const tot = totali((await leggiRipartizioniAnno(get(), 2025, null, ctx.comuni.map((x) => x.codice_istat))).dati);
    expect(tot).toEqual(c.get(null));
    // People are not additive: someone went to two comuni in 2025, counted once in the ambito.
    const perComune = [...c.entries()].filter(([k]) => k !== null).reduce((s, [, x]) => s + x.persone, 0);
    expect(perComune).toBeGreaterThan(c.get(null)!.persone);
    for (const x of ctx.comuni) expect([x.codice_istat, totali((await leggiRipartizioniAnno(get(), 2025, x.codice_istat, [])).dati)]).toEqual([x.codice_istat, c.get(x.codice_istat) ?? { accessi: 0, persone: 0 }]);
    // The accessi of the ambito's facts are the sum of the comuni's, category by category.
    const somme = (await get().knex.raw(
      `select a.dim, a.cat, a.accessi, (select coalesce(sum(c.accessi), 0) from fatti_ripartizioni c where c.anno = a.anno and c.codice_istat is not null and c.dim = a.dim and c.cat = a.cat) as somma
       from fatti_ripartizioni a where a.codice_istat is null`,
    )).rows as { accessi: number; somma: string }[];
    expect(somme.length).toBeGreaterThan(40);
    expect(somme.filter((r) => Number(r.somma) !== Number(r.accessi))).toEqual([]);
  });

  test("dopo un'importazione SIZ che cambia gli accessi e una dell'anagrafe che cambia il sesso: fatti scaduti e non letti, poi ricalcolati e di nuovo uguali", async () => {
    await calcolaFatti(get(), OGGI);
    const tutti = (await caricaContesto(get(), OGGI)).comuni.map((c) => c.codice_istat);
    const prima = totali((await leggiRipartizioniAnno(get(), 2025, null, tutti)).dati);
    expect((await importSiz(get(), tempFiles(estratto(2, 520)))).esito).toBe('ok');
    // Stale: the breakdowns are read from the accessi (the new figures), never the old facts.
    expect(await fatti.fattiCorrenti(get())).toBeNull();
    const dopo = totali((await leggiRipartizioniAnno(get(), 2025, null, tutti)).dati);
    expect(dopo).toEqual((await conteggi(2025)).get(null));
    expect(dopo).not.toEqual(prima);
    await calcolaFatti(get(), OGGI);
    expect(await confronta([2024, 2025, 2026], 2021)).toBe(4 * 11);

    // A registry import: the other facts stay current; the breakdowns' are stale until computed again.
    const sesso = async () => (await leggiRipartizioniAnno(get(), 2025, null, tutti)).dati.get('sesso');
    const vecchio = await sesso();
    await registro(anagrafe('098047', 1, 80, () => true, (i) => (i % 2 ? 'M' : 'F')), '2026-06-01');
    const stato = await fatti.fattiCorrenti(get());
    expect(stato).not.toBeNull();
    expect(await fatti.ripartizioni(get(), stato, 2025, null)).toBeNull();
    const nuovo = await sesso();
    expect(nuovo).toEqual((await leggiRipartizioni(get(), '2025-01-01', '2025-12-31', tutti)).get('sesso'));
    expect(nuovo).not.toEqual(vecchio);
    await calcolaFatti(get(), OGGI);
    expect(await confronta([2025], 2021)).toBe(2 * 11);
  });

  test("la pagina legge i fatti per un anno intero dell'ambito o di un comune, gli accessi per cluster, distretto e dal/al", async () => {
    const db = get();
    await calcolaFatti(db, OGGI);
    ctx = await caricaContesto(db, OGGI);
    const lodi = '098031';
    // A mark only the facts carry: 1000 more accessi of Italians in 2025, in the ambito's row and in Lodi's.
    await db.knex('fatti_ripartizioni').where({ anno: 2025, dim: 'nascita', cat: 'IT' }).where((q) => q.whereNull('codice_istat').orWhere({ codice_istat: lodi })).increment('accessi', 1000);
    const app = testContext(db);
    const server = await startServer(app);
    try {
      const { browser } = await signedIn(app, server.url, (await createUser(db, { email: 'udp@test.example', ruolo: 'udp', password: 'password-dei-test-2026' })).utente);
      const italia = async (q: string) => {
        const doc = JSON.parse((await browser.get(`/api/analisi/ripartizioni?${q}`)).text) as { tabelle: { id: string; righe: { codice: string; accessi: number }[] }[] };
        return doc.tabelle.find((t) => t.id === 'nascita')!.righe.find((r) => r.codice === 'IT')!.accessi;
      };
      const dati = async (comuni: string[], dal = '2025-01-01', al = '2025-12-31') => (await leggiRipartizioni(db, dal, al, comuni)).get('nascita')!.get('IT')!.accessi;
      const tutti = ctx.comuni.map((c) => c.codice_istat);
      expect(await italia('anno=2025')).toBe((await dati(tutti)) + 1000);
      expect(await italia(`anno=2025&comune=${lodi}`)).toBe((await dati([lodi])) + 1000);
      expect(await italia('anno=2024')).toBe(await dati(tutti, '2024-01-01', '2024-12-31'));
      expect(await italia(`dal=2025-01-01&al=2025-12-31&comune=${lodi}`)).toBe(await dati([lodi]));
      const distretto = ctx.comuni.filter((c) => c.distretto === 'Lodi').map((c) => c.codice_istat);
      expect(distretto).toContain(lodi);
      expect(await italia('anno=2025&distretto=Lodi')).toBe(await dati(distretto));
      const cluster = ctx.comuni.find((c) => c.codice_istat === lodi)!.cluster;
      expect(await italia(`anno=2025&cluster=${cluster}`)).toBe(await dati(ctx.comuni.filter((c) => c.cluster === cluster).map((c) => c.codice_istat)));
    } finally {
      await server.close();
      fs.rmSync(app.dataDir, { recursive: true, force: true });
    }
  });
});
