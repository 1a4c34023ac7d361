/**
 * Small-count suppression (server/web/suppression.ts), on hand-made tables: primary `<3`,
 * secondary `riservato` so no total lets a suppressed cell be recovered, the own share, amounts
 * following their count, derived values, and the UdP seeing everything. Every table is then
 * attacked (test/cruscotto/attaccante.ts) and nothing may be recovered.
 */
import { MENO_DI_TRE, RISERVATO, Riservatezza } from '../../server/web/suppression';
import { parteDi } from '../../server/cruscotto/strutture';
import { Pubblicato, recuperabili, Relazione } from './attaccante';

/** Comuni in one cluster and one distretto, summed into them and the ambito (as strutturaComuni). */
function tabellaComuni(R: Riservatezza, valori: Record<string, number>, gruppi: { cluster: Record<string, string[]>; distretto: Record<string, string[]> }, pieni: string[] = []) {
  const rel: Relazione[] = [];
  const celle: Record<string, number> = {};
  const noti = [...pieni];
  for (const [c, v] of Object.entries(valori)) {
    R.cella(c, v, { pieno: pieni.includes(c) });
    celle[c] = v;
  }
  for (const tipo of ['cluster', 'distretto'] as const) {
    for (const [g, membri] of Object.entries(gruppi[tipo])) {
      const v = membri.reduce((a, m) => a + valori[m], 0);
      // As strutturaComuni: a group made only of the account's comune and zeros is known to it.
      const noto = pieni.length > 0 && membri.some((m) => pieni.includes(m)) && membri.every((m) => pieni.includes(m) || valori[m] === 0);
      if (noto) noti.push(g);
      R.cella(g, v, { peso: 20, pieno: noto });
      celle[g] = v;
      R.relazione(g, membri, 'x');
      rel.push({ t: g, p: membri });
    }
  }
  const amb = Object.values(valori).reduce((a, b) => a + b, 0);
  R.cella('amb', amb, { peso: 100 });
  celle.amb = amb;
  for (const tipo of ['cluster', 'distretto'] as const) {
    R.relazione('amb', Object.keys(gruppi[tipo]), 'x');
    rel.push({ t: 'amb', p: Object.keys(gruppi[tipo]) });
  }
  return { rel, celle, noti };
}

function attacca(R: Riservatezza, celle: Record<string, number>, rel: Relazione[], noti: string[] = []) {
  const es = R.risolvi();
  const pub: Record<string, Pubblicato> = {};
  for (const [k, v] of Object.entries(celle)) pub[k] = { mostrato: es.valore(k), vero: v, noto: noti.includes(k) };
  return { es, recuperati: recuperabili(pub, rel) };
}

describe('riservatezza dei piccoli numeri', () => {
  test("l'Ufficio di Piano vede tutto: nessuna soppressione", () => {
    const R = new Riservatezza(false);
    R.cella('a', 1);
    R.cella('b', 2);
    R.cella('t', 3);
    R.relazione('t', ['a', 'b']);
    const es = R.risolvi();
    expect([es.valore('a'), es.valore('b'), es.valore('t')]).toEqual([1, 2, 3]);
    expect(es.derivato(33.33, ['a'])).toBe(33.33);
  });

  test('1 e 2 diventano <3, 0 resta 0, i propri dati si vedono', () => {
    const R = new Riservatezza(true);
    R.cella('uno', 1);
    R.cella('due', 2);
    R.cella('zero', 0);
    R.cella('tre', 3);
    R.cella('mio', 1, { pieno: true });
    const es = R.risolvi();
    expect([es.valore('uno'), es.valore('due'), es.valore('zero'), es.valore('tre'), es.valore('mio')]).toEqual([MENO_DI_TRE, MENO_DI_TRE, 0, 3, 1]);
  });

  test('un solo <3 in un cluster: si nasconde il comune più piccolo dello stesso cluster e distretto, non i totali', () => {
    // Cluster K = {A, B, C}, cluster L = {D}; distretto X = {A, B, D}, distretto Y = {C}.
    // A = 1 (<3). Hand-computed: the cheapest cycle through A that leaves every total as published
    // is A <-> B (same cluster, same distretto): B is hidden; cluster, distretti, ambito stay.
    const R = new Riservatezza(true);
    const { rel, celle } = tabellaComuni(R, { A: 1, B: 5, C: 7, D: 9 }, { cluster: { K: ['A', 'B', 'C'], L: ['D'] }, distretto: { X: ['A', 'B', 'D'], Y: ['C'] } });
    const { es, recuperati } = attacca(R, celle, rel);
    expect(['A', 'B', 'C', 'D', 'K', 'L', 'X', 'Y', 'amb'].map((k) => es.valore(k))).toEqual([MENO_DI_TRE, RISERVATO, 7, 9, 13, 9, 15, 7, 22]);
    expect(recuperati).toEqual([]);
  });

  test('senza un comune dello stesso cluster e distretto la protezione passa dai totali dei gruppi', () => {
    // K = {A, C}, L = {B}; X = {A, B}, Y = {C}. A = 2 (<3): moving A needs a cycle A - C (cluster K)
    // - Y - ambito? Y = {C} only, so C's change shows in Y unless Y hides; the cheapest protection
    // hides C and its distretto Y with the ambito, or B with cluster L... the attacker decides.
    const R = new Riservatezza(true);
    const { rel, celle } = tabellaComuni(R, { A: 2, B: 6, C: 4 }, { cluster: { K: ['A', 'C'], L: ['B'] }, distretto: { X: ['A', 'B'], Y: ['C'] } });
    const { es, recuperati } = attacca(R, celle, rel);
    expect(es.valore('A')).toBe(MENO_DI_TRE);
    expect(recuperati).toEqual([]);
    // Something besides A had to be hidden.
    expect(es.conteggi().secondarie).toBeGreaterThan(0);
  });

  test('due <3 che sommano a 2 (1 + 1) non lasciano ricavare nulla dal totale', () => {
    // K = {A, B, C}, all in distretto X. A = 1, B = 1: the cluster total minus C would give A + B = 2,
    // so both would be 1. The engine must hide more (C) to break it.
    const R = new Riservatezza(true);
    const { rel, celle } = tabellaComuni(R, { A: 1, B: 1, C: 6, D: 8 }, { cluster: { K: ['A', 'B', 'C'], L: ['D'] }, distretto: { X: ['A', 'B', 'C', 'D'] } });
    const { es, recuperati } = attacca(R, celle, rel);
    expect([es.valore('A'), es.valore('B')]).toEqual([MENO_DI_TRE, MENO_DI_TRE]);
    expect(es.valore('C')).toBe(RISERVATO);
    expect(recuperati).toEqual([]);
  });

  test("cinque <3 da 1 e un totale dell'ambito di 5 condiviso con un'altra tabella: il totale si nasconde", () => {
    // Comuni A-E have 1 each, F and G 0; the ambito (5) is also the total of an area list
    // (x = 3, y = 2) in another table, so no cycle may move it. Hand-computed: shown, 5 would
    // make the five `<3` all 1 (they are at least 1 each); the area list would give it back
    // (3 + `<3` is 4 or 5, and the comuni need at least 5). So the ambito and area x are hidden.
    const R = new Riservatezza(true);
    const { rel, celle } = tabellaComuni(R, { A: 1, B: 1, C: 1, D: 1, E: 1, F: 0, G: 0 }, { cluster: { K: ['A', 'B', 'F'], L: ['C', 'D', 'E', 'G'] }, distretto: { X: ['A', 'B', 'C', 'D', 'E', 'F', 'G'] } });
    R.cella('aree|x', 3);
    R.cella('aree|y', 2);
    R.relazione('amb', ['aree|x', 'aree|y'], 'aree');
    const { es, recuperati } = attacca(R, { ...celle, 'aree|x': 3, 'aree|y': 2 }, [...rel, { t: 'amb', p: ['aree|x', 'aree|y'] }]);
    expect(['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((k) => es.valore(k))).toEqual([MENO_DI_TRE, MENO_DI_TRE, MENO_DI_TRE, MENO_DI_TRE, MENO_DI_TRE, 0, 0]);
    expect([es.valore('amb'), es.valore('aree|x'), es.valore('aree|y')]).toEqual([RISERVATO, RISERVATO, MENO_DI_TRE]);
    expect(recuperati).toEqual([]);
  });

  test("solo zeri e <3 fissano i comuni (due <3, un totale di 2 che una lista di aree con un <3 e zeri limita a 2): quel <3 delle aree diventa riservato", () => {
    // Comuni A = B = 1, C = D = 0; the ambito (2) is also the total of an area list x = 2, y = z = 0.
    // Hand-computed: A and B `<3` give ambito >= 2, area x `<3` gives ambito <= 2, so A = B = 1,
    // and no shown figure but zeros is left to hide. Written `riservato` (at least 1, still true),
    // x no longer bounds the ambito: A and B can be 1 or 2 again.
    const R = new Riservatezza(true);
    const { rel, celle } = tabellaComuni(R, { A: 1, B: 1, C: 0, D: 0 }, { cluster: { K: ['A', 'C'], L: ['B', 'D'] }, distretto: { X: ['A', 'B', 'C', 'D'] } });
    R.cella('aree|x', 2);
    R.cella('aree|y', 0);
    R.cella('aree|z', 0);
    R.relazione('amb', ['aree|x', 'aree|y', 'aree|z'], 'aree');
    const { es, recuperati } = attacca(R, { ...celle, 'aree|x': 2, 'aree|y': 0, 'aree|z': 0 }, [...rel, { t: 'amb', p: ['aree|x', 'aree|y', 'aree|z'] }]);
    expect(['A', 'B', 'C', 'D'].map((k) => es.valore(k))).toEqual([MENO_DI_TRE, MENO_DI_TRE, 0, 0]);
    expect([es.valore('amb'), es.valore('aree|x'), es.valore('aree|y'), es.valore('aree|z')]).toEqual([RISERVATO, RISERVATO, 0, 0]);
    expect(recuperati).toEqual([]);
  });

  test("una sorte decisa su un'altra pagina resta: il totale nascosto là è nascosto anche qui, e protetto", () => {
    // Comuni A = 5, B = 6, C = 7; clusters K = A + B, L = C; distretto X = A + B + C; ambito 18.
    // Nothing is small, so alone nothing is hidden. The ambito page hid the ambito (riservato)
    // for its own breakdowns; imposed here, K + L and X would give it back, so the page must hide
    // more until no reader recovers it. Hand-computed: amb = X, so X goes; amb = K + L, so K or L
    // goes; X = A + B + C, so at least one comune goes.
    const valori = { A: 5, B: 6, C: 7 };
    const gruppi = { cluster: { K: ['A', 'B'], L: ['C'] }, distretto: { X: ['A', 'B', 'C'] } };
    const libera = new Riservatezza(true);
    tabellaComuni(libera, valori, gruppi);
    expect(libera.risolvi().valore('amb')).toBe(18);

    const R = new Riservatezza(true, new Map([['amb', RISERVATO], ['non-dichiarata', MENO_DI_TRE]]));
    const { rel, celle } = tabellaComuni(R, valori, gruppi);
    const { es, recuperati } = attacca(R, celle, rel);
    expect(es.valore('amb')).toBe(RISERVATO);
    expect(es.nascoste().get('amb')).toBe(RISERVATO);
    expect(es.valore('X')).toBe(RISERVATO);
    expect([es.valore('K'), es.valore('L')]).toContain(RISERVATO);
    expect([es.valore('A'), es.valore('B'), es.valore('C')]).toContain(RISERVATO);
    expect(recuperati).toEqual([]);
  });

  test('una sorte imposta <3 resta <3: non diventa riservato per liberare un vicino', () => {
    // Two comuni with 1 each, the others 0, an ambito of 2 (riservato: a small total), as on the
    // page that decided them; the imposed labels come back unchanged.
    const imposte = new Map([['A', MENO_DI_TRE], ['B', MENO_DI_TRE]] as const);
    const R = new Riservatezza(true, imposte);
    const { rel, celle } = tabellaComuni(R, { A: 1, B: 1, C: 0, D: 0 }, { cluster: { K: ['A', 'C'], L: ['B', 'D'] }, distretto: { X: ['A', 'B', 'C', 'D'] } });
    const { es, recuperati } = attacca(R, celle, rel);
    expect([es.valore('A'), es.valore('B'), es.valore('amb')]).toEqual([MENO_DI_TRE, MENO_DI_TRE, RISERVATO]);
    expect(recuperati).toEqual([]);
  });

  test('i nuovi accessi sono una parte degli accessi: la disuguaglianza non lascia ricavare nulla', async () => {
    // Random ambito seed 5, 2026, as the operatore read it before: accessi F 3, C 2, D 1, E 2,
    // G 1 (ambito 9, cluster {C, D} 3); nuovi F 2, C 2, D 0, E 2, G 1 (ambito 7). Each comune's
    // accessi not new are at least 0, F's at least 1 (nuovi `<3` of 3), D's = its accessi; they
    // add up to 9 - 7 = 2, so D's are 1 and C's accessi 2 (the cluster's 3). Only the inequality
    // pins them: by equalities alone C and D could be 1 and 2 either way.
    const comuni = ['F', 'C', 'D', 'E', 'G'];
    const acc: Record<string, number> = { F: 3, C: 2, D: 1, E: 2, G: 1 };
    const nuo: Record<string, number> = { F: 2, C: 2, D: 0, E: 2, G: 1 };
    const risolvi = (conParte: boolean) => {
      const R = new Riservatezza(true);
      for (const c of comuni) (R.cella(`acc|${c}`, acc[c]), R.cella(`nuo|${c}`, nuo[c]));
      R.cella('acc|K', acc.C + acc.D, { peso: 20 });
      R.cella('acc|T', 9, { peso: 100 });
      R.cella('nuo|K', nuo.C + nuo.D, { peso: 20 });
      R.cella('nuo|T', 7, { peso: 100 });
      for (const m of ['acc', 'nuo']) {
        R.relazione(`${m}|K`, [`${m}|C`, `${m}|D`], m);
        R.relazione(`${m}|T`, comuni.map((c) => `${m}|${c}`), m);
      }
      // Shared with another table (as the ambito is on the page): no cycle moves it.
      R.relazione('acc|T', ['altro|1'].map((k) => (R.cella(k, 9), k)), 'altra');
      R.relazione('nuo|T', ['altro|2'].map((k) => (R.cella(k, 7), k)), 'altra2');
      if (conParte) parteDi(R, 'resto', [...comuni, 'K', 'T'].map((c) => ({ id: c, tutto: `acc|${c}`, parte: `nuo|${c}`, valore: (c === 'K' ? acc.C + acc.D - nuo.C - nuo.D : c === 'T' ? 2 : acc[c] - nuo[c]) })), [{ totale: 'T', parti: comuni }, { totale: 'K', parti: ['C', 'D'] }]);
      return R.risolvi();
    };
    // What a reader can tell: every assignment of the hidden cells (a `<3` is 1 or 2, any other
    // hidden count 1 to 12) that agrees with the shown figures, the sums and nuovi <= accessi.
    const possibili = (es: ReturnType<typeof risolvi>) => {
      const chiavi = [...comuni.flatMap((c) => [`acc|${c}`, `nuo|${c}`]), 'acc|K', 'acc|T', 'nuo|K', 'nuo|T', 'altro|1', 'altro|2'];
      const vero: Record<string, number> = { ...Object.fromEntries(comuni.flatMap((c) => [[`acc|${c}`, acc[c]], [`nuo|${c}`, nuo[c]]])), 'acc|K': 3, 'acc|T': 9, 'nuo|K': 2, 'nuo|T': 7, 'altro|1': 9, 'altro|2': 7 };
      const dominio = (k: string) => {
        const v = es.valore(k);
        return typeof v === 'number' ? [v] : v === MENO_DI_TRE ? [1, 2] : Array.from({ length: 12 }, (_, i) => i + 1);
      };
      const visti = new Map<string, Set<number>>(chiavi.map((k) => [k, new Set()]));
      const x: Record<string, number> = {};
      const ok = () =>
        ['acc', 'nuo'].every((m) => x[`${m}|K`] === x[`${m}|C`] + x[`${m}|D`] && x[`${m}|T`] === comuni.reduce((a, c) => a + x[`${m}|${c}`], 0)) &&
        x['altro|1'] === x['acc|T'] && x['altro|2'] === x['nuo|T'] && comuni.every((c) => x[`nuo|${c}`] <= x[`acc|${c}`]);
      const giro = (i: number): void => {
        if (i === chiavi.length) {
          if (ok()) for (const k of chiavi) visti.get(k)!.add(x[k]);
          return;
        }
        for (const v of dominio(chiavi[i])) ((x[chiavi[i]] = v), giro(i + 1));
      };
      giro(0);
      expect(comuni.every((c) => visti.get(`acc|${c}`)!.has(vero[`acc|${c}`]))).toBe(true);
      return chiavi.filter((k) => typeof es.valore(k) !== 'number' && visti.get(k)!.size < 2);
    };
    const senza = risolvi(false);
    expect(['acc|C', 'acc|D', 'acc|K', 'acc|T'].map((k) => senza.valore(k))).toEqual([MENO_DI_TRE, MENO_DI_TRE, 3, 9]);
    expect(possibili(senza)).toEqual(expect.arrayContaining(['acc|C', 'acc|D']));
    const con = risolvi(true);
    expect(possibili(con)).toEqual([]);
  });

  test("il proprio comune è noto all'account: non protegge gli altri e la protezione non ci passa", () => {
    // K = {P, A, B} in X; P is the account's own comune (pieno). A = 1. Without P, hiding B protects A.
    const R = new Riservatezza(true);
    const { rel, celle } = tabellaComuni(R, { P: 40, A: 1, B: 5 }, { cluster: { K: ['P', 'A', 'B'] }, distretto: { X: ['P', 'A', 'B'] } }, ['P']);
    const { es, recuperati } = attacca(R, celle, rel, ['P']);
    expect([es.valore('P'), es.valore('A'), es.valore('B')]).toEqual([40, MENO_DI_TRE, RISERVATO]);
    expect(recuperati).toEqual([]);
  });

  test("totale dell'ambito meno la propria quota: un resto di 1 o 2 è riservato", () => {
    // A list of motivi for the ambito; the account's comune has 4 of the 5 "LAVORO": the rest is 1.
    const R = new Riservatezza(true);
    const vals = { LAVORO: 5, CASA: 30, ALTRO: 12 };
    const propri = { LAVORO: 4, CASA: 10, ALTRO: 2 };
    for (const [k, v] of Object.entries(vals)) R.cella(k, v, { proprio: propri[k as keyof typeof propri] });
    R.cella('T', 47, { proprio: 16, peso: 100 });
    R.relazione('T', Object.keys(vals), 'lista');
    const es = R.risolvi();
    expect(es.valore('LAVORO')).toBe(RISERVATO);
    expect(es.valore('T')).toBe(47);
    const pub: Record<string, Pubblicato> = {};
    for (const [k, v] of Object.entries({ ...vals, T: 47 })) pub[k] = { mostrato: es.valore(k), vero: v, proprio: k === 'T' ? 16 : propri[k as keyof typeof propri] };
    expect(recuperabili(pub, [{ t: 'T', p: Object.keys(vals) }])).toEqual([]);
    // One more motivo had to be hidden with it (the smaller: ALTRO), or LAVORO = 47 - 30 - 12.
    expect(es.valore('ALTRO')).toBe(RISERVATO);
  });

  test('gli importi seguono il loro conteggio; percentuali e medie derivate si nascondono', () => {
    const R = new Riservatezza(true);
    R.cella('n|a', 1);
    R.cella('n|b', 7);
    R.cella('n|T', 8, { peso: 100 });
    R.relazione('n|T', ['n|a', 'n|b'], 'n');
    R.cella('costo|a', 1500, { tipo: 'importo', segue: 'n|a' });
    R.cella('costo|b', 700, { tipo: 'importo', segue: 'n|b' });
    R.cella('costo|T', 2200, { tipo: 'importo', segue: 'n|T', peso: 100 });
    R.relazione('costo|T', ['costo|a', 'costo|b'], 'costo');
    const es = R.risolvi();
    // a is <3; the only cycle through it runs through b or the total: b (cheaper) is hidden, and the
    // amounts of both rows follow, so 2200 - 700 never gives the single erogazione's cost.
    expect([es.valore('n|a'), es.valore('n|b'), es.valore('n|T')]).toEqual([MENO_DI_TRE, RISERVATO, 8]);
    expect([es.valore('costo|a'), es.valore('costo|b'), es.valore('costo|T')]).toEqual([RISERVATO, RISERVATO, 2200]);
    expect(es.derivato(1500, ['costo|a', 'n|a'])).toBe(RISERVATO);
    expect(es.derivato(275, ['costo|T', 'n|T'])).toBe(275);
    expect(es.derivato(null, ['n|T'])).toBeNull();
  });

  test('tabella incrociata categorie x aree con i margini', () => {
    // motivo x area with margins: one small cell; the engine hides a rectangle, never the grand total.
    const R = new Riservatezza(true);
    const dati: Record<string, Record<string, number>> = { M1: { a: 1, b: 9, c: 4 }, M2: { a: 6, b: 8, c: 5 }, M3: { a: 7, b: 3, c: 10 } };
    const celle: Record<string, number> = {};
    const rel: Relazione[] = [];
    const aree = ['a', 'b', 'c'];
    for (const [m, r] of Object.entries(dati)) for (const a of aree) (celle[`${m}|${a}`] = r[a]);
    for (const m of Object.keys(dati)) celle[`${m}|T`] = aree.reduce((s, a) => s + dati[m][a], 0);
    for (const a of aree) celle[`T|${a}`] = Object.keys(dati).reduce((s, m) => s + dati[m][a], 0);
    celle['T|T'] = Object.values(celle).filter((_, i) => i < 9).reduce((a, b) => a + b, 0);
    for (const [k, v] of Object.entries(celle)) R.cella(k, v, { peso: k.startsWith('T') || k.endsWith('|T') ? 50 : 1 });
    for (const m of Object.keys(dati)) rel.push({ t: `${m}|T`, p: aree.map((a) => `${m}|${a}`) });
    for (const a of aree) rel.push({ t: `T|${a}`, p: Object.keys(dati).map((m) => `${m}|${a}`) });
    rel.push({ t: 'T|T', p: Object.keys(dati).map((m) => `${m}|T`) }, { t: 'T|T', p: aree.map((a) => `T|${a}`) });
    for (const r of rel) R.relazione(r.t, r.p, 'incrocio');
    const { es, recuperati } = attacca(R, celle, rel);
    expect(es.valore('M1|a')).toBe(MENO_DI_TRE);
    expect(recuperati).toEqual([]);
    expect(es.valore('T|T')).toBe(celle['T|T']);
    // A rectangle: two cells in M1's row and two in another row, same two columns.
    const nascoste = Object.keys(celle).filter((k) => es.valore(k) !== celle[k]);
    expect(nascoste.length).toBe(4);
  });

  test('tabelle casuali: nessun valore soppresso si ricava, con qualsiasi combinazione di totali', () => {
    // Deterministic pseudo-random tables of comuni in clusters and distretti, small values.
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let prova = 0; prova < 300; prova++) {
      const n = 5 + Math.floor(rnd() * 8);
      const valori: Record<string, number> = {};
      const cluster: Record<string, string[]> = {};
      const distretto: Record<string, string[]> = {};
      for (let i = 0; i < n; i++) {
        const c = `c${i}`;
        valori[c] = rnd() < 0.4 ? 1 + Math.floor(rnd() * 2) : rnd() < 0.2 ? 0 : 3 + Math.floor(rnd() * 20);
        (cluster[`K${Math.floor(rnd() * 3)}`] ??= []).push(c);
        (distretto[`X${Math.floor(rnd() * 2)}`] ??= []).push(c);
      }
      const pieni = rnd() < 0.5 ? ['c0'] : [];
      const R = new Riservatezza(true);
      const { rel, celle, noti } = tabellaComuni(R, valori, { cluster, distretto }, pieni);
      const { es, recuperati } = attacca(R, celle, rel, noti);
      expect({ prova, recuperati }).toEqual({ prova, recuperati: [] });
      // Every 1-2 outside the own comune is <3.
      for (const [c, v] of Object.entries(valori)) if (v >= 1 && v <= 2 && !pieni.includes(c)) expect(es.valore(c)).toBe(MENO_DI_TRE);
    }
  });

  test('tabelle incrociate casuali, anche con la quota del proprio comune: nessun valore soppresso si ricava', () => {
    let seed = 777;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let prova = 0; prova < 300; prova++) {
      const cats = Array.from({ length: 2 + Math.floor(rnd() * 4) }, (_, i) => `m${i}`);
      const aree = ['a', 'b', 'c'];
      const conProprio = rnd() < 0.5;
      const v: Record<string, number> = {};
      const p: Record<string, number> = {};
      for (const c of cats) {
        for (const a of aree) {
          v[`${c}|${a}`] = rnd() < 0.35 ? 1 + Math.floor(rnd() * 2) : rnd() < 0.25 ? 0 : 3 + Math.floor(rnd() * 15);
          p[`${c}|${a}`] = conProprio ? Math.floor(rnd() * (v[`${c}|${a}`] + 1)) : 0;
        }
      }
      const sum = (f: Record<string, number>, cs: string[], as: string[]) => cs.reduce((t, c) => t + as.reduce((u, a) => u + f[`${c}|${a}`], 0), 0);
      for (const c of cats) ((v[`${c}|T`] = sum(v, [c], aree)), (p[`${c}|T`] = sum(p, [c], aree)));
      for (const a of aree) ((v[`T|${a}`] = sum(v, cats, [a])), (p[`T|${a}`] = sum(p, cats, [a])));
      v['T|T'] = sum(v, cats, aree);
      p['T|T'] = sum(p, cats, aree);
      const R = new Riservatezza(true);
      for (const k of Object.keys(v)) R.cella(k, v[k], { proprio: conProprio ? p[k] : undefined, peso: k.includes('T') ? 20 : 1 });
      const rel: Relazione[] = [
        ...cats.map((c) => ({ t: `${c}|T`, p: aree.map((a) => `${c}|${a}`) })),
        ...aree.map((a) => ({ t: `T|${a}`, p: cats.map((c) => `${c}|${a}`) })),
        { t: 'T|T', p: cats.map((c) => `${c}|T`) },
        { t: 'T|T', p: aree.map((a) => `T|${a}`) },
      ];
      for (const r of rel) R.relazione(r.t, r.p, 'incrocio');
      const es = R.risolvi();
      const pub: Record<string, Pubblicato> = {};
      for (const k of Object.keys(v)) pub[k] = { mostrato: es.valore(k), vero: v[k], proprio: conProprio ? p[k] : undefined };
      expect({ prova, recuperati: recuperabili(pub, rel) }).toEqual({ prova, recuperati: [] });
    }
  });
});