/**
 * The growth curve's arithmetic (bench/crescita.ts): the fitted exponent, its words, the
 * extrapolated national figure. Hand-computed: time = 2 * rows (b = 1), time = rows^2 / 1000.
 */
import { adatta, andamento, Misura, tabellaCrescita } from '../../bench/crescita';

const passo = (passo: string, secondi: number, rss_mb: number) => ({ passo, secondi, rss_mb, loadavg_1m: 0 });

describe('adatta: y = a * x^b sui logaritmi', () => {
  test('una retta per l\'origine ha b = 1 e a = la pendenza', () => {
    const f = adatta([{ x: 10, y: 20 }, { x: 100, y: 200 }, { x: 1000, y: 2000 }])!;
    expect(f.b).toBeCloseTo(1, 10);
    expect(f.a).toBeCloseTo(2, 10);
  });
  test('un quadrato ha b = 2', () => {
    const f = adatta([{ x: 100, y: 10 }, { x: 1000, y: 1000 }, { x: 10000, y: 100000 }])!;
    expect(f.b).toBeCloseTo(2, 10);
    expect(f.a).toBeCloseTo(0.001, 12);
  });
  test('con meno di due punti utili (zeri esclusi) non adatta nulla', () => {
    expect(adatta([{ x: 10, y: 5 }])).toBeNull();
    expect(adatta([{ x: 10, y: 5 }, { x: 100, y: 0 }])).toBeNull();
    expect(adatta([{ x: 10, y: 5 }, { x: 10, y: 7 }])).toBeNull();
  });
});

test('andamento: le parole per l\'esponente, ai confini', () => {
  expect(andamento(undefined)).toBe('-');
  expect(andamento(0.84)).toBe('sublineare');
  expect(andamento(0.85)).toBe('lineare');
  expect(andamento(1.15)).toBe('lineare');
  expect(andamento(1.16)).toBe('più che lineare');
  expect(andamento(1.5)).toBe('più che lineare');
  expect(andamento(1.51)).toBe('quadratica o peggio');
});

test('la tabella: una colonna per dimensione, la stima nazionale dichiarata come tale', () => {
  const misure: Misura[] = [
    { scala: 'ambito', righe: 1000, mb: 1, rss_picco_mb: 200, loadavg: [0, 0], passi: [passo('import siz', 2, 150), passo('riconciliazione', 1, 200)] },
    { scala: 'regione', righe: 100_000, mb: 100, rss_picco_mb: 400, loadavg: [1, 1], passi: [passo('import siz', 200, 300), passo('riconciliazione', 10000, 400)] },
  ];
  const t = tabellaCrescita(misure);
  expect(t).toContain('ESTRAPOLATA');
  // 100,000 rows for 10 M residents: the nation of 60 M has 600,000.
  expect(t).toContain('nazione ~600,000 righe');
  const riga = (nome: string, sezione: number) => t.split('\n\n')[sezione].split('\n').find((l) => l.startsWith(nome))!.trim().split(/\s{2,}/);
  // import siz: 2 s at 1,000 rows, 200 s at 100,000: b = 1, the nation (600,000 rows) 1,200 s.
  expect(riga('import siz', 1)).toEqual(['import siz', '2.00', '200.00', '1200.00', '1.00', 'lineare']);
  // riconciliazione: 1 -> 10,000 for 100x the rows: b = 2, the nation 36 x 10,000.
  expect(riga('riconciliazione', 1)).toEqual(['riconciliazione', '1.00', '10000.00', '360000.00', '2.00', 'quadratica o peggio']);
  // RSS: 150 -> 300 MB for 100x: b = log(2)/log(100) = 0.15; the nation 300 * 6^0.15 = 392 MB.
  const rss = riga('import siz', 2);
  expect(rss.slice(0, 3)).toEqual(['import siz', '150', '300']);
  expect(Number(rss[3])).toBe(Math.round(300 * 6 ** (Math.log(2) / Math.log(100))));
  expect(rss[5]).toBe('sublineare');
});
