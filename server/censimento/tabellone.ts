import type { AppContext } from '../context';
import type { Giro } from './giri';
import { contiSiz } from './riferimenti';
import type { Avviso } from './regole';

/**
 * The office's board of a round: per comune its state, the last submission, its warnings, and
 * the digitalization (SIZ cartelle at E / declared cartelle, %) with the new declaration beside
 * the one with the previous round's.
 */
export const STATI_COMUNE = ['non_aperto', 'bozza', 'inviato', 'in_ritardo'] as const;
export type StatoComune = (typeof STATI_COMUNE)[number];
export const ETICHETTE_STATO: Record<StatoComune, string> = { non_aperto: 'Non aperto', bozza: 'Bozza', inviato: 'Inviato', in_ritardo: 'In ritardo' };

export interface RigaTabellone {
  codice_istat: string;
  comune: string;
  stato: StatoComune;
  inviato_il: Date | null;
  inviato_da: string | null;
  origine: string | null;
  invii: number;
  avvisi: Avviso[];
  siz: number | null;
  dichiarato: number | null;
  precedente: number | null;
  digit_nuova: number | null;
  digit_precedente: number | null;
}

export function statoComune(d: { stato: string } | null, scadenza: string, oggi: string): StatoComune {
  if (d?.stato === 'inviata') return 'inviato';
  if (oggi > scadenza) return 'in_ritardo';
  return d ? 'bozza' : 'non_aperto';
}

/** SIZ / declared as a percentage with two decimals, as the scorecard shows it; null without a declaration > 0. */
export function digit(siz: number | null, dich: number | null): number | null {
  if (siz == null || dich == null || dich <= 0) return null;
  return Math.round((siz / dich) * 10000) / 100;
}

export interface FiltroTabellone {
  stato?: StatoComune | null;
  conAvvisi?: boolean;
  q?: string | null;
}

export async function tabellone(ctx: AppContext, giro: Giro, f: FiltroTabellone = {}): Promise<RigaTabellone[]> {
  const oggi = ctx.clock.today();
  const rows = (
    await ctx.db.knex.raw(
      `select gc.codice_istat, c.nome as comune, d.stato as stato_dich, d.cartelle_attive as dichiarato,
              ui.inviato_il, ui.inviato_da, ui.origine, ui.avvisi, coalesce(ui.n, 0) as invii,
              (select p.cartelle_attive from censimento p where p.codice_istat = gc.codice_istat and p.data_riferimento < ?
                order by p.data_riferimento desc limit 1) as precedente
       from censimento_giri_comuni gc
       join comuni c on c.codice_istat = gc.codice_istat
       left join censimento_dichiarazioni d on d.giro_id = gc.giro_id and d.codice_istat = gc.codice_istat
       left join lateral (
         select i.inviato_il, i.inviato_da, i.origine, i.avvisi, count(*) over () as n
         from censimento_invii i where i.giro_id = gc.giro_id and i.codice_istat = gc.codice_istat
         order by i.id desc limit 1
       ) ui on true
       where gc.giro_id = ?
       order by c.nome`,
      [giro.data_riferimento, giro.id],
    )
  ).rows as Record<string, any>[];
  const siz = await contiSiz(ctx, null, giro.data_riferimento);
  const q = f.q?.trim().toLowerCase() ?? '';
  return rows
    .map((r): RigaTabellone => {
      const s = siz.get(r.codice_istat)?.cartelle_attive ?? null;
      const dichiarato = r.stato_dich === 'inviata' && r.dichiarato != null ? Number(r.dichiarato) : null;
      const precedente = r.precedente == null ? null : Number(r.precedente);
      return {
        codice_istat: r.codice_istat,
        comune: r.comune,
        stato: statoComune(r.stato_dich ? { stato: r.stato_dich } : null, giro.data_scadenza, oggi),
        inviato_il: r.inviato_il ?? null,
        inviato_da: r.inviato_da ?? null,
        origine: r.origine ?? null,
        invii: Number(r.invii),
        avvisi: r.avvisi == null ? [] : typeof r.avvisi === 'string' ? JSON.parse(r.avvisi) : r.avvisi,
        siz: s,
        dichiarato,
        precedente,
        digit_nuova: digit(s, dichiarato),
        digit_precedente: digit(s, precedente),
      };
    })
    .filter((r) => (!f.stato || r.stato === f.stato) && (!f.conAvvisi || r.avvisi.length > 0) && (!q || r.comune.toLowerCase().includes(q) || r.codice_istat === q));
}
