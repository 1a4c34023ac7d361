import type { AppContext } from '../context';
import { CENSUS_METRICS } from '../importazione/schede';
import { sql } from '../riconciliazione/sql';
import type { Figure, Riferimenti } from './regole';

/** What the form shows beside each figure, and what the warnings compare with. */

/**
 * The comune's SIZ counts at the round's E, with the reconciliation's own SQL (contesto.sql +
 * metriche.sql) asked for that round: a comune with a census row at E is counted on its period;
 * one without, at E from 1 January of E's year.
 */
export async function contiSiz(ctx: AppContext, istat: string | null, E: string): Promise<Map<string, Partial<Figure>>> {
  const rows = (
    await ctx.db.knex.raw(`${sql('contesto')}${sql('metriche')} select * from risultato`, {
      data_rif: E,
      e_default: E,
      comune: istat,
      obiettivo: String(ctx.config.obiettivo),
      soglia: String(ctx.config.sogliaCritica),
      oggi: ctx.clock.today(),
    })
  ).rows as Record<string, unknown>[];
  const out = new Map<string, Partial<Figure>>();
  for (const r of rows) {
    const f: Partial<Figure> = {};
    for (const m of CENSUS_METRICS) f[m] = r[`${m}_siz`] == null ? null : Number(r[`${m}_siz`]);
    out.set(String(r.codice_istat), f);
  }
  return out;
}

/** The comune's latest census row before E (the previous round), null if none. */
export async function precedente(ctx: AppContext, istat: string, E: string): Promise<(Partial<Figure> & { data_riferimento: string }) | null> {
  const r = await ctx.db.knex('censimento').where({ codice_istat: istat }).where('data_riferimento', '<', E).orderBy('data_riferimento', 'desc').first();
  if (!r) return null;
  const f: Partial<Figure> & { data_riferimento: string } = { data_riferimento: r.data_riferimento };
  for (const m of CENSUS_METRICS) f[m] = r[m] == null ? null : Number(r[m]);
  return f;
}

/** A declared figure from 1 to 2 is `<3` outside the office and the comune itself. */
const SOGLIA_PUBBLICA = 3;

/** Fewer comuni than this and no range is drawn (two comuni are not "the ambito"). */
export const MIN_COMUNI_INTERVALLO = 3;

/**
 * utenti/cartelle over the other active comuni of the ambito: the smallest and largest ratio of
 * their latest declaration at or before E that has both figures (cartelle > 0).
 *
 * Only declarations whose two figures every account reads in full on the digitalization pages
 * count: cartelle of 3 or more, utenti of 0 or 3 or more (a declared 1 or 2 is `<3` there, and
 * declared figures are hidden for no other reason, server/cruscotto/digitalizzazione.ts). The
 * range is then a function of published numbers and gives back no small count: the minimum or
 * maximum is one comune's ratio, and with a `<3` in it, it would tell 1 from 2
 * (docs/riservatezza.md, «Il modulo del censimento»).
 */
export async function intervalloAmbito(ctx: AppContext, istat: string, E: string): Promise<{ min: number; max: number } | null> {
  const rows = (
    await ctx.db.knex.raw(
      `select distinct on (s.codice_istat) s.codice_istat, s.utenti_in_carico, s.cartelle_attive
       from censimento s join comuni c on c.codice_istat = s.codice_istat
       where c.attivo and s.codice_istat <> ? and s.data_riferimento <= ?
         and s.cartelle_attive > 0 and s.utenti_in_carico is not null
       order by s.codice_istat, s.data_riferimento desc`,
      [istat, E],
    )
  ).rows as { utenti_in_carico: number; cartelle_attive: number }[];
  // The latest declaration decides, then the filter: an older one with larger figures must not
  // stand in for a newer small one.
  const pubblici = rows.filter((r) => Number(r.cartelle_attive) >= SOGLIA_PUBBLICA && (Number(r.utenti_in_carico) === 0 || Number(r.utenti_in_carico) >= SOGLIA_PUBBLICA));
  if (pubblici.length < MIN_COMUNI_INTERVALLO) return null;
  const q = pubblici.map((r) => Number(r.utenti_in_carico) / Number(r.cartelle_attive));
  return { min: Math.min(...q), max: Math.max(...q) };
}

export async function riferimenti(ctx: AppContext, istat: string, E: string): Promise<Riferimenti & { data_precedente: string | null }> {
  const [siz, prec, intervallo] = await Promise.all([contiSiz(ctx, istat, E), precedente(ctx, istat, E), intervalloAmbito(ctx, istat, E)]);
  return { siz: siz.get(istat) ?? {}, precedente: prec, intervallo, data_precedente: prec?.data_riferimento ?? null };
}
