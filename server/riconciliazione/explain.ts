import type { Database } from '../db';
import { ETICHETTE, Metrica } from './metriche';
import { defaultRiferimento } from './riferimento';
import { sql } from './sql';
import { ComuneNonTrovato, latestRun } from './report';
import { decimale, giorno } from '../shared/formato';

export interface Spiegazione {
  codice_istat: string;
  nome: string;
  metrica: Metrica;
  /** Census round used (null: none) and the E / Ps the counts are taken at. */
  data_riferimento: string | null;
  data_conteggio: string;
  periodo_inizio: string;
  siz: number;
  dichiarato: number | null;
  percentuale: number | null;
  /** Ids counted: id_cartella for cartelle metrics, codice fiscale for people metrics. */
  counted: string[];
  /** What is in scope but not counted, with the reason (cartelle, or people for people metrics). */
  excluded: { id: string; motivo: string }[];
  formula: string;
}

const REGOLE: Record<Metrica, string> = {
  cartelle_attive: 'cartelle del comune aperte alla data di riferimento E (apertura <= E, chiusura vuota o > E), escluse quelle con sole erogazioni di pasti a domicilio o trasporti fino a E',
  cartelle_attive_tutela: 'delle cartelle attive, quelle con tutela minori',
  utenti_in_carico: 'persone (codici fiscali distinti) con un\'appartenenza aperta a E in una cartella attiva',
  utenti_in_carico_tutela: 'persone con un\'appartenenza aperta a E in una cartella attiva di tutela minori',
  cartelle_aperte_periodo: 'cartelle del comune, non escluse, con data di apertura nel periodo [Ps, E]',
  utenti_nuovi_periodo: 'persone la cui prima appartenenza (su tutte le cartelle non escluse del comune) inizia nel periodo [Ps, E]',
  cartelle_chiuse_periodo: 'cartelle del comune, non escluse, con data di chiusura nel periodo [Ps, E]',
  utenti_senza_cartella_periodo: 'persone con un\'erogazione del comune senza cartella nel periodo [Ps, E] e nessuna appartenenza a una cartella del comune che si sovrapponga al periodo',
};

const it = (d: string) => giorno(d);
const num = (v: number) => decimale(v, 2, true);

/**
 * The records behind one figure of one comune, computed now with the same SQL and the same
 * census round as the reconciliation ("why only 62%?").
 */
export async function explain(db: Database, opts: { comune: string; metrica: Metrica; oggi?: string; dataRiferimento?: string; obiettivo?: number }): Promise<Spiegazione> {
  // "Today" only matters when there is neither a census nor a SIZ extract: then the latest run's day.
  const oggi = opts.oggi ?? (await latestRun(db))?.oggi ?? null;
  const eDefault = await defaultRiferimento(db, { dataRiferimento: opts.dataRiferimento, oggi });
  const params = { data_rif: opts.dataRiferimento ?? null, e_default: eDefault, comune: opts.comune };
  const giro = (await db.knex.raw(`${sql('contesto')} select * from giro`, params)).rows[0];
  if (!giro) throw new ComuneNonTrovato(`il comune ${opts.comune} non è tra i comuni attivi dell'anagrafica`);
  const rows: { id: string; contato: boolean; motivo: string | null }[] = (
    await db.knex.raw(`${sql('contesto')}${sql('dettaglio')}`, { ...params, metrica: opts.metrica })
  ).rows;
  const counted = rows.filter((r) => r.contato).map((r) => r.id);
  const excluded = rows.filter((r) => !r.contato).map((r) => ({ id: r.id, motivo: r.motivo ?? '' }));
  const dichiarato: number | null = giro[`${opts.metrica}_dich`] ?? null;
  const [{ p }] = (await db.knex.raw('select percentuale_digit(?, ?) as p', [counted.length, dichiarato])).rows;
  const s = counted.length;
  let formula = `${opts.metrica} (${ETICHETTE[opts.metrica]}) = ${REGOLE[opts.metrica]}; E = ${it(giro.e)}, Ps = ${it(giro.ps)}. SIZ: ${s}`;
  if (dichiarato == null) formula += '; valore dichiarato assente: percentuale non calcolabile.';
  else if (dichiarato === 0) formula += '; dichiarato 0: percentuale non calcolabile.';
  else {
    formula += ` su ${dichiarato} dichiarati = round(100 × ${s} / ${dichiarato}, 2) = ${num(p)}%.`;
    if (opts.metrica === 'cartelle_attive' && opts.obiettivo != null) {
      const [{ m }] = (await db.knex.raw('select cast(greatest(0, ceil(cast(? as numeric) * ? / 100) - ?) as integer) as m', [String(opts.obiettivo), dichiarato, s])).rows;
      formula += ` Per l'obiettivo del ${opts.obiettivo}% servono ceil(${opts.obiettivo} × ${dichiarato} / 100) cartelle: ne mancano ${m}.`;
    }
  }
  return {
    codice_istat: giro.codice_istat,
    nome: giro.nome,
    metrica: opts.metrica,
    data_riferimento: giro.data_riferimento ?? null,
    data_conteggio: giro.e,
    periodo_inizio: giro.ps,
    siz: s,
    dichiarato,
    percentuale: p ?? null,
    counted,
    excluded,
    formula,
  };
}
