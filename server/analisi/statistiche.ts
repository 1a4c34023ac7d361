/**
 * The distribution figures of the caseload page (docs/analisi.md, "Carico per operatore"), on
 * plain numbers so they can be checked by hand.
 */

/** Median: the middle value, or the mean of the two middle values for an even count; null if empty. */
export function mediana(valori: readonly number[]): number | null {
  if (valori.length === 0) return null;
  const s = [...valori].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Threshold of the top quartile by nearest rank: sorted ascending x1..xn, the value x_k with
 * k = ceil(0.75 n). An operatore whose load is >= this value is "nel quartile superiore".
 */
export function quartileSuperiore(valori: readonly number[]): number | null {
  if (valori.length === 0) return null;
  const s = [...valori].sort((a, b) => a - b);
  return s[Math.ceil(0.75 * s.length) - 1];
}
