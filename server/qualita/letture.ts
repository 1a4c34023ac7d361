import type { Database } from '../db';
import type { Gravita } from './controlli';
import type { Verdetto } from './verdetto';

export interface Esecuzione {
  id: number;
  eseguita_il: string;
  oggi: string;
  data_estrazione: string | null;
  verdetto: Verdetto;
  motivo: string | null;
  risultati: number;
  durata_ms: number | null;
  /** The run it is compared with (new / fixed findings); null for the first run. */
  precedente_id: number | null;
}

export interface RiepilogoComune {
  /** null = the non-attributed rows. */
  codice_istat: string | null;
  nome: string | null;
  record: number;
  record_con_errori: number;
  punteggio: number | null;
  /** Number of findings per check id (checks without findings are absent). */
  controlli: Record<string, number>;
  errori: number;
  avvisi: number;
  nuovi: number | null;
  risolti: number | null;
}

export interface Riepilogo {
  esecuzione: Esecuzione;
  /** Comuni of the registry, by codice_istat. */
  comuni: RiepilogoComune[];
  non_attribuito: RiepilogoComune;
}

export interface Risultato {
  controllo: string;
  gravita: Gravita;
  codice_istat: string | null;
  tabella: string;
  id_record: string | null;
  messaggio: string;
  valore: number | null;
  /** Not among the findings of the previous run (always false on the first run). */
  nuovo: boolean;
}

/** `non_attribuito` selects the rows without a valid comune. */
export type ComuneSel = string | 'non_attribuito';

const iso = (d: Date | string) => new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The latest successful run, with the id of the one before it. */
export async function latestRun(db: Database): Promise<Esecuzione | null> {
  const r = (
    await db.knex.raw(
      `select e.*, (select max(p.id) from qualita_esecuzioni p where p.esito = 'ok' and p.id < e.id) as precedente_id
       from qualita_esecuzioni e where e.esito = 'ok' order by e.id desc limit 1`,
    )
  ).rows[0];
  if (!r) return null;
  return {
    id: r.id,
    eseguita_il: iso(r.eseguita_il),
    oggi: r.oggi,
    data_estrazione: r.data_estrazione,
    verdetto: r.verdetto,
    motivo: r.motivo,
    risultati: r.risultati ?? 0,
    durata_ms: r.durata_ms,
    precedente_id: r.precedente_id ?? null,
  };
}

/** Per-comune summary of the latest run; null when the checks never ran. */
export async function latestSummary(db: Database): Promise<Riepilogo | null> {
  const esecuzione = await latestRun(db);
  if (!esecuzione) return null;
  const rows = (
    await db.knex.raw(
      `select q.codice_istat, c.nome, q.record, q.record_con_errori, q.punteggio, q.controlli, q.errori, q.avvisi, q.nuovi, q.risolti
       from qualita_comuni q left join comuni c on c.codice_istat = q.codice_istat
       where q.esecuzione_id = ? order by q.codice_istat nulls last`,
      [esecuzione.id],
    )
  ).rows as RiepilogoComune[];
  const na = rows.find((r) => r.codice_istat == null)!;
  return { esecuzione, comuni: rows.filter((r) => r.codice_istat != null), non_attribuito: na };
}

/**
 * Findings of one comune (or of the non-attributed rows) in the latest run: errors first, then
 * by check and record; each says whether it is new since the previous run.
 */
export async function findings(db: Database, opts: { comune: ComuneSel; controllo?: string; limit?: number }): Promise<Risultato[]> {
  const run = await latestRun(db);
  if (!run) return [];
  const q = db.knex('qualita_risultati as r')
    .select('r.controllo', 'r.gravita', 'r.codice_istat', 'r.tabella', 'r.id_record', 'r.messaggio', 'r.valore')
    .select(
      db.knex.raw(
        `not exists (select 1 from qualita_risultati p where p.esecuzione_id = ? and p.controllo = r.controllo and p.tabella = r.tabella and p.chiave = r.chiave) as nuovo`,
        [run.precedente_id ?? -1],
      ),
    )
    .where('r.esecuzione_id', run.id)
    .orderByRaw(`case r.gravita when 'errore' then 0 else 1 end, r.controllo, r.tabella, r.id_record nulls first, r.chiave`);
  if (opts.comune === 'non_attribuito') q.whereNull('r.codice_istat');
  else q.where('r.codice_istat', opts.comune);
  if (opts.controllo) q.where('r.controllo', opts.controllo);
  if (opts.limit != null) q.limit(opts.limit);
  const rows = (await q) as Risultato[];
  // On the first run there is nothing to compare with: nothing is "new".
  return run.precedente_id == null ? rows.map((r) => ({ ...r, nuovo: false })) : rows;
}

/** Runs kept as history (newest first), e.g. for a trend of the ambito score. */
export async function history(db: Database, limit = 30): Promise<(Esecuzione & { punteggio: number | null })[]> {
  const rows = (
    await db.knex.raw(
      `select e.*, (select round(100.0 * sum(q.record - q.record_con_errori) / nullif(sum(q.record), 0), 2)
                    from qualita_comuni q where q.esecuzione_id = e.id) as punteggio,
              (select max(p.id) from qualita_esecuzioni p where p.esito = 'ok' and p.id < e.id) as precedente_id
       from qualita_esecuzioni e where e.esito = 'ok' order by e.id desc limit ?`,
      [limit],
    )
  ).rows;
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as number,
    eseguita_il: iso(r.eseguita_il as string),
    oggi: r.oggi as string,
    data_estrazione: r.data_estrazione as string | null,
    verdetto: r.verdetto as Verdetto,
    motivo: r.motivo as string | null,
    risultati: (r.risultati as number) ?? 0,
    durata_ms: r.durata_ms as number | null,
    precedente_id: (r.precedente_id as number | null) ?? null,
    punteggio: r.punteggio as number | null,
  }));
}

export interface PuntoStorico {
  esecuzione_id: number;
  eseguita_il: string;
  oggi: string;
  punteggio: number | null;
  record: number;
  record_con_errori: number;
  errori: number;
  avvisi: number;
  nuovi: number | null;
  risolti: number | null;
}

/** The score of one comune (or of the non-attributed rows) run after run, oldest first: the trend. */
export async function storiaComune(db: Database, comune: ComuneSel, limit = 365): Promise<PuntoStorico[]> {
  const rows = (
    await db.knex.raw(
      `select * from (
         select q.esecuzione_id, e.eseguita_il, e.oggi, q.punteggio, q.record, q.record_con_errori, q.errori, q.avvisi, q.nuovi, q.risolti
         from qualita_comuni q join qualita_esecuzioni e on e.id = q.esecuzione_id
         where e.esito = 'ok' and q.codice_istat is not distinct from ?
         order by q.esecuzione_id desc limit ?) x
       order by esecuzione_id`,
      [comune === 'non_attribuito' ? null : comune, limit],
    )
  ).rows as (PuntoStorico & { eseguita_il: Date | string })[];
  return rows.map((r) => ({ ...r, eseguita_il: iso(r.eseguita_il) }));
}
