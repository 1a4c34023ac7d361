/**
 * The long tables of the analysis pages (the regional breakdowns list thousands of punti di
 * accesso): the page shows the first RIGHE_PAGINA rows in the table's order with a link to all
 * of them, the totals of the whole table, and a chart of the first BARRE_GRAFICO rows.
 */
import { RIGHE_PAGINA } from '../../server/cruscotto/presentazione';
import { BARRE_GRAFICO, graficoDi } from '../../server/analisi/ripartizioni';
import { TabellaAnalisi, vistaTabella } from '../../server/analisi/tabella';

const tabella = (n: number): TabellaAnalisi => ({
  id: 'punti',
  titolo: 'Accessi per punto',
  colonne: [
    { chiave: 'categoria', etichetta: 'Punto' },
    { chiave: 'accessi', etichetta: 'Accessi', numero: true },
  ],
  righe: Array.from({ length: n }, (_, i) => ({ categoria: `Punto ${i + 1}`, accessi: n - i })),
  totale: { categoria: 'Totale', accessi: (n * (n + 1)) / 2 },
});

describe('tabelle lunghe delle analisi', () => {
  test('una tabella più lunga di RIGHE_PAGINA: le prime righe nel suo ordine, il totale intero, il link a tutte', () => {
    const v = vistaTabella(tabella(1234), { tutte: '/analisi/ripartizioni?tutte=1#tabella-punti' });
    expect(v.righe).toHaveLength(RIGHE_PAGINA);
    expect(v.righe[0].map((c) => c.testo)).toEqual(['Punto 1', '1.234']);
    expect(v.righe[RIGHE_PAGINA - 1].map((c) => c.testo)).toEqual([`Punto ${RIGHE_PAGINA}`, '1.135']);
    expect(v.totale!.map((c) => c.testo)).toEqual(['Totale', '761.995']);
    expect(v.troncata).toEqual({ mostrate: '100', totale: '1.234', tutte: '/analisi/ripartizioni?tutte=1#tabella-punti' });
  });

  test('fino a RIGHE_PAGINA righe, o senza la regola (tutte=1), ogni riga e nessun link', () => {
    const corta = vistaTabella(tabella(RIGHE_PAGINA), { tutte: '/x' });
    expect(corta.righe).toHaveLength(RIGHE_PAGINA);
    expect(corta.troncata).toBeUndefined();
    const intera = vistaTabella(tabella(1234));
    expect(intera.righe).toHaveLength(1234);
    expect(intera.righe[1233].map((c) => c.testo)).toEqual(['Punto 1234', '1']);
    expect(intera.troncata).toBeUndefined();
  });

  test('il grafico di una tabella lunga: le prime BARRE_GRAFICO righe, e lo dice il titolo', () => {
    const g = graficoDi(tabella(1234), [['Accessi', 'accessi']]);
    expect(g.categorie).toEqual(Array.from({ length: BARRE_GRAFICO }, (_, i) => `Punto ${i + 1}`));
    expect(g.serie[0].dati).toEqual(Array.from({ length: BARRE_GRAFICO }, (_, i) => 1234 - i));
    expect(g.titolo).toBe(`Accessi per punto · i primi ${BARRE_GRAFICO} di 1234`);
    const corto = graficoDi(tabella(BARRE_GRAFICO), [['Accessi', 'accessi']]);
    expect(corto.categorie).toHaveLength(BARRE_GRAFICO);
    expect(corto.titolo).toBe('Accessi per punto');
  });
});
