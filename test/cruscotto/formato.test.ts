/**
 * Numbers on the pages (issue 18): always grouped, fixed decimals per kind of value, the € sign
 * bound to its amount (server/cruscotto/tabella.ts formatta; views' num/pct helpers).
 */
import { formatta } from '../../server/cruscotto/tabella';
import { numIt } from '../../server/cruscotto/testi';
import { createViews } from '../../server/web/views';

test('i numeri sono sempre raggruppati, con decimali fissi per tipo, e il simbolo € non va a capo', () => {
  expect(formatta(1990, 'numero')).toBe('1.990');
  expect(formatta(10780, 'numero')).toBe('10.780');
  expect(formatta(999, 'numero')).toBe('999');
  expect(formatta(41.4333, 'numero')).toBe('41,43'); // an average
  expect(formatta(55.9, 'percentuale')).toBe('55,90%');
  expect(formatta(47.37, 'percentuale')).toBe('47,37%');
  expect(formatta(5007373.5, 'importo')).toBe('5.007.373,50\u00a0€');
  expect(formatta('<3', 'numero')).toBe('<3');
  expect(formatta(null, 'percentuale')).toBe('–');
  expect(numIt(1415)).toBe('1.415');
  const hbs = createViews().hbs;
  expect(hbs.compile('{{num a}} · {{pct b}}')({ a: 2527, b: 1234.5 })).toBe('2.527 · 1.234,5%');
});
