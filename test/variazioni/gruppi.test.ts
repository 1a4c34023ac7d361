/**
 * /notifiche groups an operatore's open alarms by case (cartella), the cases with a death first,
 * ten cases a page (server/variazioni/routes.ts).
 */
import { CARTELLE_PER_PAGINA, gruppiPerCartella } from '../../server/variazioni/routes';

const allarme = (id_cartella: string, tipo: string) => ({ id_cartella, tipo, comune: 'Lodi', codice_istat: '098031' });

test('raggruppa per cartella, i decessi prima, dieci cartelle per pagina', () => {
  expect(CARTELLE_PER_PAGINA).toBe(10);
  // 12 cases: C01..C12 in the order the alarms come; C07 and C11 have a death; C03 has 3 alarms.
  const aperti = Array.from({ length: 12 }, (_, i) => allarme(`C${String(i + 1).padStart(2, '0')}`, i === 6 || i === 10 ? 'decesso' : 'nascita'));
  aperti.push(allarme('C03', 'cambio_indirizzo'), allarme('C03', 'nascita'));
  const p1 = gruppiPerCartella(aperti, 1);
  expect([p1.pagina, p1.pagine, p1.cartelle]).toEqual([1, 2, 12]);
  expect(p1.gruppi.map((g) => g.id_cartella)).toEqual(['C07', 'C11', 'C01', 'C02', 'C03', 'C04', 'C05', 'C06', 'C08', 'C09']);
  expect(p1.gruppi.map((g) => g.decesso)).toEqual([true, true, false, false, false, false, false, false, false, false]);
  expect(p1.gruppi.find((g) => g.id_cartella === 'C03')!.allarmi.map((a) => a.tipo)).toEqual(['nascita', 'cambio_indirizzo', 'nascita']);
  const p2 = gruppiPerCartella(aperti, 2);
  expect(p2.gruppi.map((g) => g.id_cartella)).toEqual(['C10', 'C12']);
  // A page past the last shows the last; no alarm at all is one empty page.
  expect(gruppiPerCartella(aperti, 9).pagina).toBe(2);
  expect(gruppiPerCartella([], 1)).toEqual({ gruppi: [], pagina: 1, pagine: 1, cartelle: 0 });
});
