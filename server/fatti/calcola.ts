import type { Knex } from 'knex';
import { impostazioniLavoroNotturno, type Database } from '../db';
import { fonteDati, versioneAnagrafe } from './fonte';
import { contatore, PASSI, TABELLE_FATTI, type Contesto, type NomePasso } from './passi';
import { SecondaConnessione, type Tappa } from './seconda';

export { TABELLE_FATTI } from './passi';

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

/** Options of `calcolaFatti` (tests and the benchmark; the job uses the defaults). */
export interface OpzioniCalcolo {
  /** PostgreSQL: the steps of the second connection (default SECONDA); [] = one connection. */
  seconda?: readonly NomePasso[];
  /** Tests: a stop on a connection's way (test/fatti/due-connessioni.test.ts), see `Tappa`. */
  tappa?: Tappa;
}

/**
 * PostgreSQL: the steps computed on a second connection while the first computes the others
 * (server/fatti/seconda.ts), balanced by their measured seconds at the regional scale
 * (docs/fatti.md, «Two connections»): the breakdowns alone are ~40% of the job.
 */
export const SECONDA: readonly NomePasso[] = ['ripartizioni', 'sportello', 'non_attribuiti'];

/**
 * Computes every fact from the data as it is now, in one transaction (readers see the old
 * facts or the new ones, never half of them). Years: from the first year with accessi, cartelle
 * or erogazioni to the year of `oggi`; months: the last MESI_FATTI up to the month of `oggi`.
 *
 * On PostgreSQL the steps of `seconda` run at the same time on a second connection that reads
 * the first's snapshot (the machine's second core; one backend is one core), and the first
 * copies their rows in before it commits: still one transaction publishes, every step reads
 * the same data. PGlite has one connection: the steps one after the other, as before.
 */
export async function calcolaFatti(
  db: Database,
  oggi: string,
  adesso: Date = new Date(),
  quantiAnni = ANNI_FATTI,
  opzioni: OpzioniCalcolo = {},
): Promise<{ secondi: number; righe: number; chiavi: Chiavi; passi: Record<string, number> }> {
  const t0 = process.hrtime.bigint();
  const righe = { n: 0 };
  // Seconds per step: where the night's time goes (the job's counts, the benchmark). With two
  // connections each step is timed on its own connection: their sum is more than the job's.
  const passi: Record<string, number> = {};
  const nomiSeconda = new Set(db.engine === 'postgres' ? (opzioni.seconda ?? SECONDA) : []);
  let chiavi: Chiavi = { anni: [], giorni: {}, mesi: [], anagrafe: 0 };
  let seconda: SecondaConnessione | null = null;
  const tappa: Tappa = opzioni.tappa ?? (async () => undefined);
  try {
    await db.knex.transaction(
      async (trx) => {
        await impostazioniLavoroNotturno(trx, db.engine);
        // Exported before anything is read: the second connection reads this very snapshot
        // (repeatable read, so every statement of this transaction reads it too).
        const istantanea = nomiSeconda.size ? ((await trx.raw('select pg_export_snapshot() as s')).rows[0] as { s: string }).s : null;
        const fonte = await fonteDati(trx);
        const { c, mesi } = await contesto(trx, oggi, quantiAnni);
        await tappa('prima', 'istantanea', trx);
        if (istantanea) seconda = new SecondaConnessione(db, istantanea, PASSI.filter((p) => nomiSeconda.has(p.nome)), c, contatore(passi, righe), tappa);
        try {
          for (const t of TABELLE_FATTI) await trx(t).del();
          const conta = contatore(passi, righe);
          for (const p of PASSI.filter((x) => !nomiSeconda.has(x.nome))) {
            seconda?.controlla();
            await tappa('prima', p.nome, trx);
            await p.esegui(trx, c, conta);
          }
          if (seconda) {
            await seconda.calcolata;
            await tappa('prima', 'trasferimento', trx);
            conta({}, 'attesa');
            await seconda.trasferisci(trx);
            conta({}, 'trasferimento');
          }
        } catch (e) {
          // The second stops at once, not after this transaction's rollback.
          seconda?.ferma();
          throw e;
        }
        await tappa('prima', 'stato', trx);
        chiavi = { anni: c.anni, giorni: c.giorni, mesi, anagrafe: await versioneAnagrafe(trx) };
        const [{ d }] = await trx('siz_tabelle').max('data_estrazione as d');
        const secondi = Number(process.hrtime.bigint() - t0) / 1e9;
        const stato = { id: 1, fonte, calcolato_il: adesso.toISOString(), dati_al: d ?? null, chiavi: JSON.stringify(chiavi), secondi };
        await trx('fatti_stato').insert(stato).onConflict('id').merge();
      },
      nomiSeconda.size ? { isolationLevel: 'repeatable read' } : undefined,
    );
  } finally {
    await (seconda as SecondaConnessione | null)?.chiudi();
  }
  return { secondi: Number(process.hrtime.bigint() - t0) / 1e9, righe: righe.n, chiavi, passi };
}

/** The years and months of this computation, from the data its transaction reads. */
async function contesto(trx: Knex.Transaction, oggi: string, quantiAnni: number): Promise<{ c: Contesto; mesi: string[] }> {
  const annoOggi = Number(oggi.slice(0, 4));
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
  return {
    c: {
      anni,
      giorni,
      periodo: { inizio: `${anni[0]}-01-01`, fine: `${annoOggi}-12-31` },
      mesePeriodo: { inizio: `${mesi[0]}-01`, fine: fineMese(mesi[mesi.length - 1]) },
    },
    mesi,
  };
}
