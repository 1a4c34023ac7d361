/**
 * The disclosure audit's solver on hand-made publications: the leaks of issue 14 (row order,
 * several `<3` sharing one total, a year against its months) are found, with the interval the
 * reader can work out; a protected table is not flagged; the viewer's own comune is known.
 */
import { Audit, Def } from './modello';

const fam = (a: Audit, nome: string, attributi: Record<string, string[]>, componente = nome) => a.famiglia({ nome, componente, tipo: 'conteggio', attributi });
const comune = (c: string): Def => ({ fam: 'acc', filtro: { comune: [c] } });
const COMUNI = ['A', 'B', 'C', 'D'];

describe('la verifica della riservatezza (programmi lineari)', () => {
  test("un «riservato» tra due comuni con 5, in una tabella ordinata per valore, vale 5", async () => {
    const a = new Audit(null);
    fam(a, 'acc', { comune: COMUNI });
    a.pubblica(comune('A'), 5, 'A');
    a.pubblica(comune('B'), 'riservato', 'B');
    a.pubblica(comune('C'), 5, 'C');
    a.pubblica(comune('D'), '<3', 'D');
    a.pubblica({ fam: 'acc', filtro: {} }, 17, 'totale');
    // Rows A, B, C, D sorted by value, ties by name: A >= B >= C >= D.
    a.ordine(comune('A'), comune('B'), 0, 'ordine');
    a.ordine(comune('B'), comune('C'), 0, 'ordine');
    a.ordine(comune('C'), comune('D'), 1, 'ordine');
    const r = await a.esegui();
    expect(r.fughe.map((f) => [f.tipo, f.dove])).toEqual([
      ['riservato ricavabile', 'B'],
      ['<3 ricavabile', 'D'],
    ]);
    expect(r.fughe[0].dettaglio).toContain('tra 5 e 5');
  });

  test('due «<3» con un totale di 4 valgono 2; con un terzo problema nascosto restano protetti', async () => {
    const a = new Audit(null);
    fam(a, 'acc', { problema: ['P1', 'P2', 'P3'] });
    const p = (x: string): Def => ({ fam: 'acc', filtro: { problema: [x] } });
    a.pubblica(p('P1'), '<3', 'P1');
    a.pubblica(p('P2'), '<3', 'P2');
    a.pubblica(p('P3'), 0, 'P3');
    a.pubblica({ fam: 'acc', filtro: {} }, 4, 'totale');
    expect((await a.esegui()).fughe.map((f) => f.dove)).toEqual(['P1', 'P2']);

    const b = new Audit(null);
    fam(b, 'acc', { problema: ['P1', 'P2', 'P3'] });
    b.pubblica(p('P1'), '<3', 'P1');
    b.pubblica(p('P2'), '<3', 'P2');
    b.pubblica(p('P3'), 'riservato', 'P3');
    b.pubblica({ fam: 'acc', filtro: {} }, 7, 'totale');
    expect((await b.esegui()).fughe).toEqual([]);
  });

  test("l'anno è la somma dei suoi mesi: cinque mesi «<3», gli altri 0 e l'anno 10 fanno 2 ciascuno", async () => {
    const a = new Audit(null);
    const mesi = Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0'));
    fam(a, 'acc', { comune: COMUNI, mese: mesi });
    mesi.forEach((m, i) => a.pubblica({ fam: 'acc', filtro: { comune: ['A'], mese: [m] } }, i < 5 ? '<3' : 0, `mese ${m}`));
    a.pubblica(comune('A'), 10, 'anno');
    const r = await a.esegui();
    expect(r.fughe.map((f) => f.dove)).toEqual(mesi.slice(0, 5).map((m) => `mese ${m}`));
  });

  test('il proprio comune è noto: un totale meno la propria quota che fa 1 è segnalato come resto', async () => {
    const a = new Audit('A');
    fam(a, 'acc', { comune: COMUNI, motivo: ['M1', 'M2'] });
    a.pubblica({ fam: 'acc', filtro: { comune: ['A'], motivo: ['M1'] } }, 4, 'proprio M1');
    a.pubblica({ fam: 'acc', filtro: { motivo: ['M1'] } }, 5, 'ambito M1');
    const r = await a.esegui();
    expect(r.fughe.map((f) => [f.tipo, f.dove])).toEqual([['resto', 'ambito M1']]);
  });

  test('un rapporto arrotondato tra somme (la digitalizzazione di un cluster) rivela il comune nascosto', async () => {
    const a = new Audit(null);
    fam(a, 'cens', { comune: ['A', 'B'], fonte: ['siz', 'dich'] });
    const d = (c: string, f: string): Def => ({ fam: 'cens', filtro: { comune: [c], fonte: [f] } });
    a.pubblica(d('A', 'siz'), 40, 'A siz');
    a.pubblica(d('A', 'dich'), 50, 'A dich');
    a.pubblica(d('B', 'siz'), '<3', 'B siz');
    a.pubblica(d('B', 'dich'), 10, 'B dich');
    // (40 + 2) / 60 = 70%
    a.rapporto([d('A', 'siz'), d('B', 'siz')], [d('A', 'dich'), d('B', 'dich')], 70, 'cluster');
    expect((await a.esegui()).fughe.map((f) => f.dove)).toEqual(['B siz']);
  });
});
