/** Working days, Italian national holidays (Easter Monday computed) and reminder occasions. */
import { addDays, dataLunga, easterMonday, easterSunday, isHoliday, isWorkingDay, nextWorkingDay } from '../../server/shared/calendario';
import { occasioniFinoA, prossimaOccasione, ultimaOccasione } from '../../server/scadenze/occasioni';
import { conArticolo } from '../../server/promemoria/contenuto';

describe('calendario', () => {
  test('Easter Sunday, checked against published dates', () => {
    const known: Record<number, string> = {
      2000: '2000-04-23', 2008: '2008-03-23', 2011: '2011-04-24', 2019: '2019-04-21', 2021: '2021-04-04', 2024: '2024-03-31',
      2025: '2025-04-20', 2026: '2026-04-05', 2027: '2027-03-28', 2028: '2028-04-16', 2038: '2038-04-25', 2285: '2285-03-22',
    };
    for (const [y, d] of Object.entries(known)) expect([y, easterSunday(Number(y))]).toEqual([y, d]);
    expect(easterMonday(2026)).toBe('2026-04-06');
    expect(easterMonday(2024)).toBe('2024-04-01'); // across the month boundary
  });

  test('national holidays, and nothing else', () => {
    const holidays2026 = ['2026-01-01', '2026-01-06', '2026-04-06', '2026-04-25', '2026-05-01', '2026-06-02', '2026-08-15', '2026-10-04', '2026-11-01', '2026-12-08', '2026-12-25', '2026-12-26'];
    let d = '2026-01-01';
    const found: string[] = [];
    while (d <= '2026-12-31') {
      if (isHoliday(d)) found.push(d);
      d = addDays(d, 1);
    }
    expect(found).toEqual(holidays2026);
    expect(isHoliday('2026-04-05')).toBe(false); // Easter Sunday: a Sunday anyway, not in the list
  });

  test('working days and the next working day', () => {
    expect(isWorkingDay('2026-04-03')).toBe(true); // Good Friday is a working day in Italy
    expect(isWorkingDay('2026-04-04')).toBe(false); // Saturday
    expect(nextWorkingDay('2026-04-04')).toBe('2026-04-07'); // Sat -> Sun -> Easter Monday -> Tue
    expect(nextWorkingDay('2026-05-01')).toBe('2026-05-04'); // Friday holiday, then the weekend
    expect(nextWorkingDay('2026-12-24')).toBe('2026-12-24');
    expect(nextWorkingDay('2026-12-25')).toBe('2026-12-28'); // Christmas Fri, St Stephen Sat, Sun
    expect(nextWorkingDay('2027-12-31')).toBe('2027-12-31');
    expect(nextWorkingDay('2028-01-01')).toBe('2028-01-03'); // New Year Sat
    expect(dataLunga('2026-06-02')).toBe('2 giugno 2026');
  });

  test('occasions: offsets before, weekly after, moved to working days', () => {
    const g = [30, 14, 7, 1];
    // Deadline Tue 2 June 2026 (itself a holiday): -30 is Sun 3 May -> Mon 4 May.
    expect(occasioniFinoA('2026-06-02', g, '2026-06-20').map((o) => `${o.data} ${o.giorni} ${o.quando}`)).toEqual([
      '2026-05-04 30 prima',
      '2026-05-19 14 prima',
      '2026-05-26 7 prima',
      '2026-06-01 1 prima',
      '2026-06-09 7 dopo',
      '2026-06-16 14 dopo',
    ]);
    // Weekly after a Tuesday deadline: the week landing on 2 June moves to Wed 3 June.
    expect(occasioniFinoA('2026-03-10', [], '2026-06-05').slice(-3).map((o) => o.data)).toEqual(['2026-05-19', '2026-05-26', '2026-06-03']);
  });

  test('only the latest due occasion is sent, once per occasion date', () => {
    const g = [30, 14, 7, 1];
    expect(ultimaOccasione('2026-05-06', g, '2026-04-06')).toBeNull(); // -30 is Easter Monday: moved to the 7th
    expect(ultimaOccasione('2026-05-06', g, '2026-04-07')).toEqual({ data: '2026-04-07', quando: 'prima', giorni: 30 });
    expect(ultimaOccasione('2026-05-06', g, '2026-04-21')).toEqual({ data: '2026-04-07', quando: 'prima', giorni: 30 });
    // Down from 20 April to 3 May: the 14- and 7-day occasions were missed; only the 7-day one is due.
    expect(ultimaOccasione('2026-05-06', g, '2026-05-04')).toEqual({ data: '2026-04-29', quando: 'prima', giorni: 7 });
    // A weekly occasion moved beyond today leaves the previous week's as the latest due.
    expect(ultimaOccasione('2026-03-10', [], '2026-06-02')).toEqual({ data: '2026-05-26', quando: 'dopo', giorni: 77 });
    expect(ultimaOccasione('2026-03-10', [], '2026-06-03')).toEqual({ data: '2026-06-03', quando: 'dopo', giorni: 84 });
    expect(prossimaOccasione('2026-03-10', [], '2026-06-01')).toEqual({ data: '2026-06-03', quando: 'dopo', giorni: 84 });
    expect(prossimaOccasione('2026-05-06', g, '2026-04-07')).toEqual({ data: '2026-04-22', quando: 'prima', giorni: 14 });
  });

  test('Italian article before a percentage', () => {
    expect([58, 80, 8, 11, 1, 18, 81.5, 100, 11.25].map(conArticolo)).toEqual(['il 58%', "l'80%", "l'8%", "l'11%", "l'1%", 'il 18%', "l'81,5%", 'il 100%', "l'11,25%"]);
  });
});
