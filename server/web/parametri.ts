import { HttpError } from './errori';

/**
 * Query parameters of the operational pages (scadenze, posta, registro): a value outside the
 * documented ones is a 400 that says which values are allowed, never silently ignored. An empty
 * value (a form's "tutti") means not chosen.
 */
/** The numeric id of a path (`/scadenze/:id`): anything else is a 404 with the page's own words. */
export function idPercorso(v: unknown, nonTrovato: string): number {
  if (typeof v !== 'string' || !/^\d{1,9}$/.test(v)) throw new HttpError(404, nonTrovato);
  return Number(v);
}

export function scelta<T extends string>(q: Record<string, unknown>, nome: string, ammessi: readonly T[]): T | null {
  const v = q[nome];
  if (v === undefined || v === '') return null;
  if (typeof v !== 'string' || !(ammessi as readonly string[]).includes(v)) {
    throw new HttpError(400, `Parametro non valido: «${nome}» può valere ${ammessi.map((a) => `«${a}»`).join(', ')}.`);
  }
  return v as T;
}

/** A page number: a positive integer, 1 when absent. */
export function numeroPagina(q: Record<string, unknown>, nome = 'pagina'): number {
  const v = q[nome];
  if (v === undefined || v === '') return 1;
  if (typeof v !== 'string' || !/^[1-9]\d{0,5}$/.test(v)) throw new HttpError(400, `Parametro non valido: «${nome}» è un numero di pagina (1, 2, 3...).`);
  return Number(v);
}

/** A comune's ISTAT code (six digits), or null when absent. */
export function codiceIstat(q: Record<string, unknown>, nome = 'comune'): string | null {
  const v = q[nome];
  if (v === undefined || v === '') return null;
  if (typeof v !== 'string' || !/^\d{6}$/.test(v)) throw new HttpError(400, `Parametro non valido: «${nome}» è un codice ISTAT di 6 cifre, per esempio 098031.`);
  return v;
}
