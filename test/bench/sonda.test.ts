/**
 * The probe of the night (bench/sonda.ts) files each request under the step of the cycle that
 * was running when it was sent: the steps one after the other from 0, a request sent exactly at
 * a step's end belongs to the next one, the total line is not a step.
 */
import { passoAl } from '../../bench/sonda';

const passi = [
  { passo: 'import siz', secondi: 2, loadavg_1m: 0 },
  { passo: 'riconciliazione', secondi: 0.5, loadavg_1m: 0 },
  { passo: 'fatti', secondi: 1, loadavg_1m: 0 },
  { passo: 'ciclo notturno (totale)', secondi: 3.5, loadavg_1m: 0 },
];

test('il passo in corso a ogni istante, ai confini', () => {
  expect(passoAl(passi, 0)).toBe('import siz');
  expect(passoAl(passi, 1999)).toBe('import siz');
  expect(passoAl(passi, 2000)).toBe('riconciliazione');
  expect(passoAl(passi, 2499)).toBe('riconciliazione');
  expect(passoAl(passi, 2500)).toBe('fatti');
  expect(passoAl(passi, 3499)).toBe('fatti');
  expect(passoAl(passi, 3500)).toBe('dopo il ciclo');
});
