/**
 * The demo data set of `npm start` (issue 20): 24 monthly reconciliation runs before today's
 * with comuni rising, flat ("a rischio") and falling; the tables left exactly as today's import;
 * the demo operatore's alarms of every type, a death first; reminders sent and acknowledged;
 * dirty comuni at the bottom of the quality scores; registry changes at a few per thousand a
 * month; the SIZ's own motivi. And two independent loads (a second PGlite, and PostgreSQL when
 * TEST_DATABASE_URL is set) give the same history: the demo is deterministic.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cartellaDemo, contesto, OGGI } from '../browser/support';
import { Database, openDb } from '../../server/db';
import { ensureNomenclature } from '../../server/context';
import { registerFeatures } from '../../server/features';
import { DEMO_SEED, DEMO_SPORCHI, loadDemoIfEmpty } from '../../server/demo';
import { giornoStoria } from '../../server/demo/storia';
import { Atteso, MESI_STORIA, pianoStoria } from '../../server/demo/piano';
import { elencoAllarmi } from '../../server/variazioni/allarmi';
import { TIPI_VARIAZIONE } from '../../server/genera/anagrafe';
import { MOTIVI } from '../../server/genera/catalogo';
import { ENGINES, openTestDb } from '../support/db';

jest.setTimeout(900_000);

interface Punto {
  codice_istat: string;
  oggi: string;
  digit_tot: string | null;
  a_rischio: boolean | null;
  previsione_obiettivo: string | null;
  previsione_esito: string | null;
}

/** Every comune's figure in every successful run, the day's latest run only, oldest first. */
async function storia(db: Database): Promise<Punto[]> {
  return (
    await db.knex.raw(
      `select codice_istat, oggi, digit_tot, a_rischio, previsione_obiettivo, previsione_esito from (
         select rc.codice_istat, cast(r.oggi as text) as oggi, cast(rc.digit_tot as text) as digit_tot, rc.a_rischio,
                cast(rc.previsione_obiettivo as text) as previsione_obiettivo, rc.previsione_esito,
                row_number() over (partition by rc.codice_istat, r.oggi order by r.id desc) as k
         from riconciliazione_comuni rc join riconciliazioni r on r.id = rc.riconciliazione_id
         where r.esito = 'ok') x
       where k = 1
       order by codice_istat, oggi`,
    )
  ).rows;
}

function perComune(punti: Punto[]): Map<string, Punto[]> {
  const m = new Map<string, Punto[]>();
  for (const p of punti) m.set(p.codice_istat, [...(m.get(p.codice_istat) ?? []), p]);
  return m;
}

/** The SIZ tables hold exactly what the import loaded, and nothing is left parked. */
async function statoFinale(db: Database): Promise<void> {
  const [{ n }] = (await db.knex.raw('select count(*) as n from demo_storia_righe')).rows;
  expect(Number(n)).toBe(0);
  for (const t of ['cartelle', 'membri']) {
    const [{ righe }] = (await db.knex.raw('select righe from siz_tabelle where tabella = ?', [t])).rows;
    const [{ c }] = (await db.knex.raw(`select count(*) as c from ${t}`)).rows;
    expect(Number(c)).toBe(Number(righe));
  }
  const [{ d }] = (await db.knex.raw("select count(*) as d from cartelle where id_cartella like '%D'")).rows;
  expect(Number(d)).toBe(0);
}

describe('piano della storia dimostrativa', () => {
  const atteso: Atteso[] = Array.from({ length: 40 }, (_, i) => ({
    codice_istat: `0980${String(10 + i)}`,
    digit_tot: i === 0 ? null : 20 + ((i * 37) % 85),
    siz: { cartelle_attive: 5 + ((i * 13) % 60) },
  }));

  test('stesso seme, stesso piano; un comune in calo, almeno uno fermo sotto l\'obiettivo, gli altri in crescita; i comuni senza cifra restano fuori', () => {
    const a = pianoStoria(DEMO_SEED, atteso);
    expect(pianoStoria(DEMO_SEED, atteso)).toEqual(a);
    expect(pianoStoria(DEMO_SEED + 1, atteso)).not.toEqual(a);
    expect(a.map((p) => p.codice_istat)).not.toContain('098010');
    expect(a.filter((p) => p.tipo === 'calo')).toHaveLength(1);
    const calo = a.find((p) => p.tipo === 'calo')!;
    const digit = (istat: string) => atteso.find((x) => x.codice_istat === istat)!.digit_tot!;
    expect(digit(calo.codice_istat)).toBeGreaterThanOrEqual(45);
    expect(digit(calo.codice_istat)).toBeLessThan(80);
    expect(a.some((p) => p.tipo === 'piatto' && digit(p.codice_istat) < 80)).toBe(true);
    expect(a.filter((p) => p.tipo === 'salita').length).toBeGreaterThan(a.length / 2);
    for (const p of a.filter((x) => x.tipo === 'salita')) {
      expect(p.quota).toBeGreaterThanOrEqual(0.3);
      expect(p.quota).toBeLessThanOrEqual(0.7);
      expect(p.inizio).toBeGreaterThanOrEqual(0);
      expect(p.inizio).toBeLessThanOrEqual(12);
    }
  });

  test('i giorni della storia: lo stesso giorno del mese, 24 mesi prima di oggi, fine mese compresa', () => {
    expect(giornoStoria('2026-11-22', 0)).toBe('2024-11-22');
    expect(giornoStoria('2026-11-22', 23)).toBe('2026-10-22');
    expect(giornoStoria('2026-03-31', 23)).toBe('2026-02-28');
    expect(giornoStoria('2026-03-31', 0)).toBe('2024-03-31');
    expect(giornoStoria('2026-03-30', 11)).toBe('2025-02-28');
  });
});

describe('la demo caricata (come npm start)', () => {
  let dir: string;
  let db: Database;
  let punti: Punto[];

  beforeAll(async () => {
    dir = await cartellaDemo();
    db = await openDb({ pgliteDir: path.join(dir, 'db') });
    punti = await storia(db);
  }, 900_000);

  afterAll(async () => {
    await db?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('almeno 24 punti mensili: le 24 riconciliazioni della storia e quella di oggi, ciascuna sull\'estrazione del giorno prima', async () => {
    const giorni = [...new Set(punti.map((p) => p.oggi))].sort();
    const attesi = [...Array.from({ length: MESI_STORIA }, (_, i) => giornoStoria(OGGI, i)), OGGI];
    expect(giorni).toEqual(attesi);
    expect(new Set(giorni.map((g) => g.slice(0, 7))).size).toBeGreaterThanOrEqual(24);
    const runs: { oggi: string; data_estrazione: string }[] = (await db.knex.raw("select cast(oggi as text) as oggi, cast(data_estrazione as text) as data_estrazione from riconciliazioni where esito = 'ok' order by id")).rows;
    for (const r of runs) expect(new Date(`${r.oggi}T00:00:00Z`).getTime() - new Date(`${r.data_estrazione}T00:00:00Z`).getTime()).toBe(86_400_000);
    await statoFinale(db);
  });

  test('un comune in crescita con la data prevista, uno fermo e a rischio, uno in calo', () => {
    const serie = perComune(punti);
    const num = (p: Punto) => Number(p.digit_tot);
    const conCifra = [...serie.values()].filter((s) => s.length === MESI_STORIA + 1 && s.every((p) => p.digit_tot != null));
    const inCrescita = conCifra.filter((s) => num(s[s.length - 1]) > num(s[0]) && s[s.length - 1].previsione_esito === 'prevista' && s[s.length - 1].previsione_obiettivo != null);
    const fermi = conCifra.filter((s) => s.every((p) => num(p) === num(s[0])) && s[s.length - 1].a_rischio === true && s[s.length - 1].previsione_esito === 'andamento_fermo');
    const inCalo = conCifra.filter((s) => num(s[s.length - 1]) < num(s[0]) && s.every((p, i) => i === 0 || num(p) <= num(s[i - 1])));
    expect(inCrescita.length).toBeGreaterThan(0);
    expect(fermi.length).toBeGreaterThan(0);
    expect(inCalo).toHaveLength(1);
    // The forecast of a rising comune is after today; the falling one has none.
    expect(inCrescita.some((s) => s[s.length - 1].previsione_obiettivo! > OGGI)).toBe(true);
    expect(inCalo[0][inCalo[0].length - 1].previsione_obiettivo).toBeNull();
  });

  test("l'operatore della demo ha allarmi di ogni tipo, e il primo della sua lista è un decesso", async () => {
    const u = await db.knex('utenti').where({ email: 'assistente.sociale@demo.example' }).first('operatore_id');
    const allarmi = await elencoAllarmi(db, u.operatore_id);
    expect(allarmi[0].tipo).toBe('decesso');
    expect(new Set(allarmi.map((a) => a.tipo))).toEqual(new Set(TIPI_VARIAZIONE));
  });

  test('promemoria già inviati nelle settimane passate, alcuni presi in visione', async () => {
    const inviati: { n: string }[] = (await db.knex.raw("select count(*) as n from posta where tipo = 'promemoria' and stato = 'inviato' and inviato_il < ?", [`${OGGI}T00:00:00Z`])).rows;
    const viste: { n: string; prima: string }[] = (await db.knex.raw('select count(*) as n, count(*) filter (where p.registrata_il > q.inviato_il) as prima from prese_visione p join posta q on q.chiave = p.chiave')).rows;
    expect(Number(inviati[0].n)).toBeGreaterThan(5);
    expect(Number(viste[0].n)).toBeGreaterThan(0);
    expect(Number(viste[0].n)).toBeLessThan(Number(inviati[0].n));
    expect(Number(viste[0].prima)).toBe(Number(viste[0].n));
  });

  test('i comuni "sporchi" hanno i punteggi di qualità più bassi, visibilmente sotto gli altri', async () => {
    const righe: { codice_istat: string; punteggio: string }[] = (
      await db.knex.raw('select q.codice_istat, cast(q.punteggio as text) as punteggio from qualita_comuni q where q.esecuzione_id = (select max(id) from qualita_esecuzioni) and q.codice_istat is not null and q.record >= 100 order by q.punteggio, q.codice_istat')
    ).rows;
    const sporchi = Object.keys(DEMO_SPORCHI).sort();
    expect(righe.slice(0, sporchi.length).map((r) => r.codice_istat).sort()).toEqual(sporchi);
    expect(Number(righe[0].punteggio)).toBeLessThan(96);
  });

  test('variazioni anagrafiche a un ritmo reale: qualche variazione al mese ogni mille residenti', async () => {
    const [v] = (await db.knex.raw('select count(*) as n, min(data_precedente) as t0, min(data_snapshot) as t1 from variazioni')).rows;
    const [r] = (await db.knex.raw("select count(*) as n from anagrafe a join anagrafe_snapshot s on s.id = a.snapshot_id where s.data_snapshot = (select max(data_snapshot) from anagrafe_snapshot) and a.stato = 'residente'")).rows;
    const giorni = (new Date(v.t1).getTime() - new Date(v.t0).getTime()) / 86_400_000;
    expect(giorni).toBe(30);
    const perMille = (1000 * Number(v.n)) / Number(r.n);
    expect(perMille).toBeGreaterThan(1);
    expect(perMille).toBeLessThan(8);
  });

  test('i motivi di accesso sono quelli del SIZ', async () => {
    const motivi: string[] = (await db.knex.raw("select distinct motivo_accesso as m from accessi where motivo_accesso is not null and motivo_accesso <> ''")).rows.map((r: { m: string }) => r.m);
    const noti = new Set(Object.values(MOTIVI).flatMap((l) => l.map(([m]) => m)));
    expect(motivi.length).toBeGreaterThan(10);
    for (const m of motivi) expect(noti.has(m)).toBe(true);
    expect(motivi).toContain('COLLOQUIO ASSISTENTE SOCIALE');
  });

  // The template above was built on PGlite: a second build on PostgreSQL, when there is one,
  // shows both that the demo is deterministic and that the two engines give the same story (a
  // second PGlite build would add a minute of CPU and nothing the PostgreSQL one does not show).
  describe.each(ENGINES.includes('postgres') ? (['postgres'] as const) : ENGINES)('[%s] un secondo caricamento indipendente', (engine) => {
    test('dà la stessa storia, punto per punto (la demo è deterministica)', async () => {
      const altro = await openTestDb(engine);
      const cartella = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-demo-bis-'));
      try {
        const ctx = contesto(altro, cartella);
        await ensureNomenclature(ctx);
        registerFeatures();
        expect(await loadDemoIfEmpty(ctx, () => undefined)).toBe(true);
        expect(await storia(altro)).toEqual(punti);
        await statoFinale(altro);
      } finally {
        await altro.dispose();
        fs.rmSync(cartella, { recursive: true, force: true });
      }
    });
  });
});
