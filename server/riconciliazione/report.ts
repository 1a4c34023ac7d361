import type { Database } from '../db';
import { METRICHE, Metrica, Stato } from './metriche';
import { AppError } from '../shared/errori';

/**
 * One metric in the report: SIZ count, declared value, percentuale (docs/interfacce.md, "Documenti
 * JSON dei report").
 */
export interface ValoreMetrica {
  siz: number;
  dichiarato: number | null;
  percentuale: number | null;
}

export interface ComuneReport {
  codice_istat: string;
  nome: string;
  cluster: number;
  distretto: string;
  data_riferimento: string | null;
  metriche: Record<Metrica, ValoreMetrica>;
  digit_tot: number | null;
  digit_tutela: number | null;
  digit_cluster: number | null;
  digit_cluster_tutela: number | null;
  digit_distretto: number | null;
  mancanti_obiettivo: number | null;
  stato: Stato;
  sopra_dichiarato: boolean;
  previsione_obiettivo: string | null;
  scadenza: string | null;
  a_rischio: boolean;
}

/**
 * `cruscotto report digitalizzazione --json` (docs/interfacce.md, "Documenti JSON dei report"):
 * exactly this shape.
 */
export interface ReportDigitalizzazione {
  generato_il: string;
  estrazione_siz: string | null;
  obiettivo: number;
  ambito: { digit_tot: number | null; digit_tutela: number | null };
  comuni: ComuneReport[];
}

export class ComuneNonTrovato extends AppError {
  constructor(message: string) {
    super(message, { status: 404 });
  }
}

/** ISO time without milliseconds, as in docs/interfacce.md ("2026-11-22T02:00:05Z"). */
export function isoSeconds(d: Date | string): string {
  return new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The latest run whatever its outcome (the monthly digest is held when it failed), or null when none has run yet. */
export async function ultimaEsecuzione(db: Database): Promise<{ esito: string; messaggio: string | null; oggi: string } | null> {
  return (await db.knex('riconciliazioni').orderBy('id', 'desc').first('esito', 'messaggio', 'oggi')) ?? null;
}

/** The latest successful run, or null when none has run yet. */
export async function latestRun(db: Database): Promise<Record<string, any> | null> {
  return (await db.knex('riconciliazioni').where({ esito: 'ok' }).orderBy('id', 'desc').first()) ?? null;
}

/**
 * The JSON document of the latest successful run (null when there is none). With `comune`,
 * only that comune is listed; a comune not in the run is a ComuneNonTrovato error.
 */
export async function latestReport(db: Database, opts: { comune?: string } = {}): Promise<ReportDigitalizzazione | null> {
  const run = await latestRun(db);
  if (!run) return null;
  return reportOfRun(db, run, opts);
}

/** The report of a given run (the latest, or a past one to reproduce a figure). */
export async function reportOfRun(db: Database, run: Record<string, any>, opts: { comune?: string } = {}): Promise<ReportDigitalizzazione> {
  const perc = METRICHE.map(() => 'percentuale_digit(??, ??) as ??').join(', ');
  const bindings: (string | number)[] = METRICHE.flatMap((m) => [`${m}_siz`, `${m}_dich`, `${m}_perc`]);
  let where = 'riconciliazione_id = ?';
  bindings.push(run.id);
  if (opts.comune) {
    where += ' and codice_istat = ?';
    bindings.push(opts.comune);
  }
  const rows: Record<string, any>[] = (await db.knex.raw(`select *, ${perc} from riconciliazione_comuni where ${where} order by codice_istat`, bindings)).rows;
  if (opts.comune && rows.length === 0) throw new ComuneNonTrovato(`il comune ${opts.comune} non è nella riconciliazione n. ${run.id}`);
  return {
    generato_il: isoSeconds(run.eseguita_il),
    estrazione_siz: run.data_estrazione ?? null,
    obiettivo: Number(run.obiettivo),
    ambito: { digit_tot: run.digit_ambito ?? null, digit_tutela: run.digit_ambito_tutela ?? null },
    comuni: rows.map(toComune),
  };
}

function toComune(r: Record<string, any>): ComuneReport {
  const metriche = Object.fromEntries(
    METRICHE.map((m) => [m, { siz: r[`${m}_siz`], dichiarato: r[`${m}_dich`] ?? null, percentuale: r[`${m}_perc`] ?? null }]),
  ) as Record<Metrica, ValoreMetrica>;
  return {
    codice_istat: r.codice_istat,
    nome: r.nome,
    cluster: r.cluster,
    distretto: r.distretto,
    data_riferimento: r.data_riferimento ?? null,
    metriche,
    digit_tot: r.digit_tot ?? null,
    digit_tutela: r.digit_tutela ?? null,
    digit_cluster: r.digit_cluster ?? null,
    digit_cluster_tutela: r.digit_cluster_tutela ?? null,
    digit_distretto: r.digit_distretto ?? null,
    mancanti_obiettivo: r.mancanti_obiettivo ?? null,
    stato: r.stato,
    sopra_dichiarato: r.sopra_dichiarato,
    previsione_obiettivo: r.previsione_obiettivo ?? null,
    scadenza: r.scadenza ?? null,
    a_rischio: r.a_rischio,
  };
}

export interface PuntoStorico {
  riconciliazione_id: number;
  eseguita_il: string;
  oggi: string;
  data_estrazione: string | null;
  data_riferimento: string | null;
  cartelle_attive_siz: number;
  cartelle_attive_dich: number | null;
  digit_tot: number | null;
  digit_tutela: number | null;
  digit_cluster: number | null;
  digit_distretto: number | null;
  digit_ambito: number | null;
  stato: Stato;
}

/** The stored figures of a comune over the successful runs, oldest first (for trend charts). */
export async function history(db: Database, comune: string): Promise<PuntoStorico[]> {
  const rows = await db
    .knex('riconciliazione_comuni as rc')
    .join('riconciliazioni as r', 'r.id', 'rc.riconciliazione_id')
    .where({ 'rc.codice_istat': comune, 'r.esito': 'ok' })
    .orderBy([{ column: 'r.oggi' }, { column: 'r.id' }])
    .select(
      'r.id as riconciliazione_id', 'r.eseguita_il', 'r.oggi', 'r.data_estrazione', 'rc.data_riferimento',
      'rc.cartelle_attive_siz', 'rc.cartelle_attive_dich', 'rc.digit_tot', 'rc.digit_tutela', 'rc.digit_cluster',
      'rc.digit_distretto', 'rc.digit_ambito', 'rc.stato',
    );
  return rows.map((r) => ({ ...r, eseguita_il: isoSeconds(r.eseguita_il) }));
}
