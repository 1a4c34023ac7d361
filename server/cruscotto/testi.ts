/** Small text helpers for headings and explanations; dates and numbers come from server/shared/formato.ts. */
import { decimale, giorno } from '../shared/formato';

export const dataIt = (d: string | null | undefined): string => giorno(d);
export const numIt = (n: number): string => decimale(n);

/** Whole days from a to b (YYYY-MM-DD), negative when b is before a. */
export function giorniTra(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
