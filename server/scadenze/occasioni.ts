import { addDays, daysBetween, nextWorkingDay } from '../shared/calendario';

/**
 * A reminder occasion of a deadline: `giorni` days before it (one per PROMEMORIA_GIORNI offset)
 * or after it (every 7 days), moved to the next working day when it falls on a weekend or a
 * national holiday. `data` is the day it is due to be sent (after the move).
 */
export interface Occasione {
  data: string;
  quando: 'prima' | 'dopo';
  giorni: number;
}

/** Every occasion of a deadline due on or before `oggi`, in date order. */
export function occasioniFinoA(dataScadenza: string, giorniPrima: number[], oggi: string): Occasione[] {
  const out: Occasione[] = [];
  for (const g of giorniPrima) out.push({ data: nextWorkingDay(addDays(dataScadenza, -g)), quando: 'prima', giorni: g });
  // Weekly after the deadline; a move is at most a few days, so week k+1 is never due today.
  const k = Math.floor(daysBetween(dataScadenza, oggi) / 7);
  for (let i = 1; i <= k; i++) out.push({ data: nextWorkingDay(addDays(dataScadenza, 7 * i)), quando: 'dopo', giorni: 7 * i });
  return out.filter((o) => o.data <= oggi).sort((a, b) => (a.data < b.data ? -1 : a.data > b.data ? 1 : 0));
}

/**
 * The occasion to send today: the latest one due on or before `oggi`. Occasions missed while the
 * service was down are not sent one by one: only the latest is, once (its outbox key is per
 * occasion date, so running again the same day or the next ones adds nothing).
 */
export function ultimaOccasione(dataScadenza: string, giorniPrima: number[], oggi: string): Occasione | null {
  const all = occasioniFinoA(dataScadenza, giorniPrima, oggi);
  return all.length ? all[all.length - 1] : null;
}

/** The next occasion after `oggi` (shown on the board), or null when none is planned. */
export function prossimaOccasione(dataScadenza: string, giorniPrima: number[], oggi: string): Occasione | null {
  const c: Occasione[] = giorniPrima.map((g) => ({ data: nextWorkingDay(addDays(dataScadenza, -g)), quando: 'prima' as const, giorni: g }));
  const k = Math.max(0, Math.floor(daysBetween(dataScadenza, oggi) / 7));
  for (let i = Math.max(1, k); i <= k + 2; i++) c.push({ data: nextWorkingDay(addDays(dataScadenza, 7 * i)), quando: 'dopo', giorni: 7 * i });
  const next = c.filter((o) => o.data > oggi).sort((a, b) => (a.data < b.data ? -1 : a.data > b.data ? 1 : 0));
  return next[0] ?? null;
}
