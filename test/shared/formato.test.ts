/**
 * The one module for numbers and dates shown to people (server/shared/formato.ts): always grouped,
 * fixed decimals where asked, dates never shifted by the time zone, local times in Rome.
 */
import { dataOra, decimale, dimensione, giorno, intero, percento } from '../../server/shared/formato';

test('numbers are always grouped, 4 digits included', () => {
  expect([intero(999), intero(1990), intero(10780), intero(5007373)]).toEqual(['999', '1.990', '10.780', '5.007.373']);
  expect(intero(-28)).toBe('-28');
  expect([decimale(1990.5), decimale(12.5, 2, true), decimale(12.345), decimale(0.1 + 0.2)]).toEqual(['1.990,5', '12,50', '12,35', '0,3']);
});

test('percentages with fixed decimals, and what to show without a value', () => {
  expect([percento(97.48), percento(55.9), percento(80), percento(55.9, 1)]).toEqual(['97,48%', '55,90%', '80,00%', '55,9%']);
  expect([percento(null), percento(undefined, 2, '–')]).toEqual(['n.d.', '–']);
});

test('a calendar date is never shifted by the time zone', () => {
  expect(giorno('2026-12-31')).toBe('31/12/2026');
  expect(giorno('2024-02-29T23:30:00Z')).toBe('29/02/2024');
  expect([giorno(null), giorno(''), giorno('non una data'), giorno(null, '—')]).toEqual(['–', '–', '–', '—']);
});

test('a moment in Rome time, across daylight saving', () => {
  // 01:00 UTC is 02:00 in winter (CET) and 03:00 in summer (CEST).
  expect(dataOra('2026-11-22T01:00:05Z')).toBe('22/11/2026 02:00:05');
  expect(dataOra('2026-07-01T01:00:05Z')).toBe('01/07/2026 03:00:05');
  expect(dataOra(new Date('2026-12-31T23:30:00Z'), 'Europe/Rome', false)).toBe('01/01/2027 00:30');
  expect(dataOra('2026-11-22T01:00:05Z', 'UTC')).toBe('22/11/2026 01:00:05');
  expect([dataOra(null), dataOra('x')]).toEqual([null, null]);
});

test('sizes in binary kilo and megabytes', () => {
  expect([dimensione(100), dimensione(512 * 1024), dimensione(3.4 * 1024 * 1024), dimensione(300 * 1024 * 1024), dimensione(2048 * 1024 * 1024)]).toEqual(['1 KB', '512 KB', '3,4 MB', '300 MB', '2.048 MB']);
});
