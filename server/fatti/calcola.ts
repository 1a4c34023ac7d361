import { impostazioniLavoroNotturno, type Database } from '../db';
import { sqlText } from '../shared/sql';
import { fonteDati, versioneAnagrafe } from './fonte';

/** Which keys a computation covers (stored in fatti_stato.chiavi). */
export interface Chiavi {
  /** Years of sportello, sociali, economici, of the rows without a comune and of the breakdowns. */
  anni: number[];
  /** Year -> the day `aperte` refers to in it (31 December, or today in the current year). */
  giorni: Record<string, string>;
  /** Months (YYYY-MM) of month over month. */
  mesi: string[];
  /** The registry import the breakdowns were computed with (fonte.ts, versioneAnagrafe). */
  anagrafe: number;
}

/**
 * Months of month over month kept as facts: the current one and the 12 before (the page's
 * default is the last complete month; older months are computed live, still exact).
 */
export const MESI_FATTI = 13;

/**
 * Years kept as facts: every year since the data begins, up to the current one and the eleven
 * before (older years are computed live, still exact). Every page shows the years side by side
 * (server/cruscotto/anni-dati.ts): a year left out of the facts is read from the data on the
 * first request after each import, about 50 s per family page at the regional scale. Each year
 * of sociali is a pass over the members: the night pays for it once instead (docs/fatti.md).
 */
export const ANNI_FATTI = 12;

export const TABELLE_FATTI = ['fatti_sportello', 'fatti_sportello_categorie', 'fatti_non_attribuiti', 'fatti_sociali', 'fatti_economici', 'fatti_codici', 'fatti_mese', 'fatti_mese_top', 'fatti_ripartizioni'] as const;

const q = (name: string) => sqlText('fatti', name);
const qc = (name: string) => sqlText('cruscotto', name);

export function mesiFino(mese: string, quanti: number): string[] {
  let [y, m] = mese.split('-').map(Number);
  const out: string[] = [];
  for (let i = 0; i < quanti; i++) {
    out.unshift(`${y}-${String(m).padStart(2, '0')}`);
    if (--m === 0) [y, m] = [y - 1, 12];
  }
  return out;
}

const fineMese = (mese: string) => {
  const [y, m] = mese.split('-').map(Number);
  return `${mese}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

/**
 * Computes every fact from the data as it is now, in one transaction (readers see the old
 * facts or the new ones, never half of them). Years: from the first year with accessi, cartelle
 * or erogazioni to the year of `oggi`; months: the last MESI_FATTI up to the month of `oggi`.
 */
export async function calcolaFatti(db: Database, oggi: string, adesso: Date = new Date(), quantiAnni = ANNI_FATTI): Promise<{ secondi: number; righe: number; chiavi: Chiavi; passi: Record<string, number> }> {
  const t0 = process.hrtime.bigint();
  const annoOggi = Number(oggi.slice(0, 4));
  let righe = 0;
  // Seconds per table: where the night's time goes (the job's counts, the benchmark).
  const passi: Record<string, number> = {};
  let chiavi: Chiavi = { anni: [], giorni: {}, mesi: [], anagrafe: 0 };
  await db.knex.transaction(async (trx) => {
    await impostazioniLavoroNotturno(trx, db.engine);
    const fonte = await fonteDati(trx);
    for (const t of TABELLE_FATTI) await trx(t).del();
    const [{ da }] = (
      await trx.raw(
        `select least((select min(data_accesso) from accessi), (select min(data_apertura) from cartelle), (select min(data_erogazione) from prestazioni)) as da`,
      )
    ).rows as { da: string | null }[];
    const primo = Math.max(annoOggi - quantiAnni + 1, da ? Math.min(Number(String(da).slice(0, 4)), annoOggi) : annoOggi);
    const anni: number[] = [];
    for (let a = primo; a <= annoOggi; a++) anni.push(a);
    const mesi = mesiFino(oggi.slice(0, 7), MESI_FATTI);
    const giorni: Record<string, string> = Object.fromEntries(anni.map((a) => [String(a), a === annoOggi ? oggi : `${a}-12-31`]));
    const periodo = { inizio: `${anni[0]}-01-01`, fine: `${annoOggi}-12-31` };
    let t = process.hrtime.bigint();
    const conta = (r: { rowCount?: number }, passo: string) => {
      righe += Number(r.rowCount ?? 0);
      const ora = process.hrtime.bigint();
      passi[passo] = +((passi[passo] ?? 0) + Number(ora - t) / 1e9).toFixed(2);
      t = ora;
    };
    conta(await trx.raw(qc('sportello_righe') + q('sportello'), periodo), 'sportello');
    // The same rows as the years side by side read without facts (one query, two uses).
    conta(await trx.raw(`insert into fatti_sportello_categorie (anno, lista, codice_istat, area, categoria, n) select x.anno, x.lista, x.codice_istat, x.area, x.categoria, x.n from (${qc('anni_categorie')}) x`, periodo), 'sportello_categorie');
    conta(await trx.raw(`insert into fatti_economici (anno, codice_istat, codice_prestazione, area, n, costo, quota_comune, recupero_assistito, recupero_famiglia, recupero_altri_enti, recupero_altri) select x.anno, x.codice_istat, x.codice_prestazione, x.area, x.n, x.costo, x.quota_comune, x.recupero_assistito, x.recupero_famiglia, x.recupero_altri_enti, x.recupero_altri from (${qc('anni_economici')}) x`, periodo), 'economici');
    // The breakdowns of /analisi/ripartizioni, every year, comune and the whole ambito in one
    // pass, after the head the page itself reads (one definition, two uses).
    conta(await trx.raw(sqlText('analisi', 'ripartizioni_righe') + q('ripartizioni'), { dal: periodo.inizio, al: periodo.fine, comuni: null }), 'ripartizioni');
    // Sociali counts people (distinct CF) and open cartelle on a day: not additive over
    // months, so one computation per year; the people's from the members joined once for
    // every year (the rows of the page's query, sql/queries/fatti/sociali_persone.sql), the
    // cartelle's with the page's own query.
    await trx.raw(q('sociali_membri'));
    await trx.raw('analyze fatti_membri');
    conta({}, 'sociali_persone');
    for (const a of anni) {
      const anno = { anno: a, inizio: `${a}-01-01`, fine: `${a}-12-31`, giorno: giorni[String(a)] };
      conta(await trx.raw(q('sociali_persone'), anno), 'sociali_persone');
      conta(await trx.raw(`insert into fatti_sociali (anno, giorno, misura, codice_istat, area, n) select :anno, cast(:giorno as date), x.misura, x.codice_istat, x.area, x.n from (${qc('sociali_cartelle')}) x`, anno), 'sociali_cartelle');
    }
    // The rows without a comune, every year in one pass per table.
    conta(await trx.raw(q('non_attribuiti'), { primo: anni[0], ultimo: annoOggi }), 'non_attribuiti');
    conta(await trx.raw(`insert into fatti_codici (codice_prestazione, descrizione, conosciuto) select x.codice_prestazione, x.descrizione, x.conosciuto from (${qc('codici')}) x`), 'codici');
    const mesePeriodo = { inizio: `${mesi[0]}-01`, fine: fineMese(mesi[mesi.length - 1]) };
    conta(await trx.raw(qc('mese_righe') + q('mese'), { ...mesePeriodo, righe_da: mesePeriodo.inizio, righe_a: mesePeriodo.fine }), 'mese');
    conta(await trx.raw(q('mese_top'), mesePeriodo), 'mese_top');
    chiavi = { anni, giorni, mesi, anagrafe: await versioneAnagrafe(trx) };
    const [{ d }] = await trx('siz_tabelle').max('data_estrazione as d');
    const secondi = Number(process.hrtime.bigint() - t0) / 1e9;
    const stato = { id: 1, fonte, calcolato_il: adesso.toISOString(), dati_al: d ?? null, chiavi: JSON.stringify(chiavi), secondi };
    await trx('fatti_stato').insert(stato).onConflict('id').merge();
  });
  return { secondi: Number(process.hrtime.bigint() - t0) / 1e9, righe, chiavi, passi };
}
