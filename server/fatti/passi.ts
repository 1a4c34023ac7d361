import type { Knex } from 'knex';
import { sqlText } from '../shared/sql';

/**
 * The steps of the facts' computation (server/fatti/calcola.ts): each writes whole tables, reads
 * only the data tables (and its own temporary ones), and does not depend on another step, so a
 * step may run on either connection of the two-connection path (docs/fatti.md).
 */

export const TABELLE_FATTI = ['fatti_sportello', 'fatti_sportello_categorie', 'fatti_non_attribuiti', 'fatti_sociali', 'fatti_economici', 'fatti_codici', 'fatti_mese', 'fatti_mese_top', 'fatti_ripartizioni'] as const;
export type TabellaFatti = (typeof TABELLE_FATTI)[number];

/** The keys of one computation, decided once (calcola.ts) and given to every step. */
export interface Contesto {
  anni: number[];
  /** Year -> the day `aperte` refers to in it. */
  giorni: Record<string, string>;
  /** 1 January of the first year, 31 December of the last. */
  periodo: { inizio: string; fine: string };
  /** The first and the last day of the months of month over month. */
  mesePeriodo: { inizio: string; fine: string };
}

/** Counts the rows a statement wrote and the seconds since the previous count, under `passo`. */
export type Conta = (r: { rowCount?: number }, passo: string) => void;

export type NomePasso = 'sportello' | 'sportello_categorie' | 'economici' | 'ripartizioni' | 'sociali' | 'non_attribuiti' | 'codici' | 'mese';

export interface Passo {
  nome: NomePasso;
  /** The tables it writes (the second connection writes them into temporary tables first). */
  tabelle: readonly TabellaFatti[];
  esegui(trx: Knex.Transaction, c: Contesto, conta: Conta): Promise<void>;
}

const q = (name: string) => sqlText('fatti', name);
const qc = (name: string) => sqlText('cruscotto', name);

/** Every step, in the order of the one-connection path. */
export const PASSI: readonly Passo[] = [
  {
    nome: 'sportello',
    tabelle: ['fatti_sportello'],
    esegui: async (trx, c, conta) => conta(await trx.raw(qc('sportello_righe') + q('sportello'), c.periodo), 'sportello'),
  },
  {
    nome: 'sportello_categorie',
    tabelle: ['fatti_sportello_categorie'],
    // The same rows as the years side by side read without facts (one query, two uses).
    esegui: async (trx, c, conta) =>
      conta(await trx.raw(`insert into fatti_sportello_categorie (anno, lista, codice_istat, area, categoria, n) select x.anno, x.lista, x.codice_istat, x.area, x.categoria, x.n from (${qc('anni_categorie')}) x`, c.periodo), 'sportello_categorie'),
  },
  {
    nome: 'economici',
    tabelle: ['fatti_economici'],
    esegui: async (trx, c, conta) =>
      conta(
        await trx.raw(
          `insert into fatti_economici (anno, codice_istat, codice_prestazione, area, n, costo, quota_comune, recupero_assistito, recupero_famiglia, recupero_altri_enti, recupero_altri) select x.anno, x.codice_istat, x.codice_prestazione, x.area, x.n, x.costo, x.quota_comune, x.recupero_assistito, x.recupero_famiglia, x.recupero_altri_enti, x.recupero_altri from (${qc('anni_economici')}) x`,
          c.periodo,
        ),
        'economici',
      ),
  },
  {
    nome: 'ripartizioni',
    tabelle: ['fatti_ripartizioni'],
    // The breakdowns of /analisi/ripartizioni, every year, comune and the whole ambito in one
    // pass, after the head the page itself reads (one definition, two uses).
    esegui: async (trx, c, conta) => conta(await trx.raw(sqlText('analisi', 'ripartizioni_righe') + q('ripartizioni'), { dal: c.periodo.inizio, al: c.periodo.fine, comuni: null }), 'ripartizioni'),
  },
  {
    nome: 'sociali',
    tabelle: ['fatti_sociali'],
    // Sociali counts people (distinct CF) and open cartelle on a day: not additive over
    // months, so one computation per year; the people's from the members joined once for
    // every year (the rows of the page's query, sql/queries/fatti/sociali_persone.sql), the
    // cartelle's with the page's own query.
    esegui: async (trx, c, conta) => {
      await trx.raw(q('sociali_membri'));
      await trx.raw('analyze fatti_membri');
      conta({}, 'sociali_persone');
      for (const a of c.anni) {
        const anno = { anno: a, inizio: `${a}-01-01`, fine: `${a}-12-31`, giorno: c.giorni[String(a)] };
        conta(await trx.raw(q('sociali_persone'), anno), 'sociali_persone');
        conta(await trx.raw(`insert into fatti_sociali (anno, giorno, misura, codice_istat, area, n) select :anno, cast(:giorno as date), x.misura, x.codice_istat, x.area, x.n from (${qc('sociali_cartelle')}) x`, anno), 'sociali_cartelle');
      }
    },
  },
  {
    nome: 'non_attribuiti',
    tabelle: ['fatti_non_attribuiti'],
    // The rows without a comune, every year in one pass per table.
    esegui: async (trx, c, conta) => conta(await trx.raw(q('non_attribuiti'), { primo: c.anni[0], ultimo: c.anni[c.anni.length - 1] }), 'non_attribuiti'),
  },
  {
    nome: 'codici',
    tabelle: ['fatti_codici'],
    esegui: async (trx, _c, conta) => conta(await trx.raw(`insert into fatti_codici (codice_prestazione, descrizione, conosciuto) select x.codice_prestazione, x.descrizione, x.conosciuto from (${qc('codici')}) x`), 'codici'),
  },
  {
    nome: 'mese',
    tabelle: ['fatti_mese', 'fatti_mese_top'],
    // Both month tables in one pass (sql/queries/fatti/mese.sql): one statement writes both and
    // returns how many rows it wrote.
    esegui: async (trx, c, conta) => {
      const r = await trx.raw(qc('mese_righe') + q('mese'), { righe_da: c.mesePeriodo.inizio, righe_a: c.mesePeriodo.fine });
      conta({ rowCount: Number((r.rows as { righe: number | string }[])[0].righe) }, 'mese');
    },
  },
];

/** A counter of rows and seconds per step into `passi` (one per connection: each its own clock). */
export function contatore(passi: Record<string, number>, righe: { n: number }): Conta {
  let t = process.hrtime.bigint();
  return (r, passo) => {
    righe.n += Number(r.rowCount ?? 0);
    const ora = process.hrtime.bigint();
    passi[passo] = +((passi[passo] ?? 0) + Number(ora - t) / 1e9).toFixed(2);
    t = ora;
  };
}
