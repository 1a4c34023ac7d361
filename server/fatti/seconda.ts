import type { Knex } from 'knex';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { impostazioniLavoroNotturno, type Database } from '../db';
import type { Conta, Contesto, Passo, TabellaFatti } from './passi';

/**
 * The second connection of the facts' computation on PostgreSQL (server/fatti/calcola.ts,
 * docs/fatti.md «Two connections»): its own transaction reads the first connection's snapshot
 * (`set transaction snapshot`, repeatable read), computes its steps into temporary tables with
 * the facts' names (created `on commit drop`, found before the schema's tables because a
 * session's temporary schema is searched first), and keeps them until the first connection has
 * copied them into the facts' tables inside its own transaction, which alone publishes. Then it
 * rolls back: it never writes a table that outlives it, so a failure or a crash (of this process
 * or of either backend) leaves nothing behind, and the facts before stay as they were.
 */

/** pg_export_snapshot()'s id, e.g. 00000003-0000001B-1: SET TRANSACTION SNAPSHOT takes a literal, never a parameter. */
const ISTANTANEA = /^[0-9A-F]+-[0-9A-F]+-[0-9]+$/i;

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

type Connessione = { query<T>(q: T): T };

/**
 * Tests: called on each connection ('prima' publishes, 'seconda' is this one) before each of
 * its steps (`momento`: the step's name) and, on the first, after the export of the snapshot
 * ('istantanea'), once the second is done ('trasferimento') and before fatti_stato ('stato'). A
 * failure it throws, or causes in `trx`, is that connection's.
 */
export type Tappa = (lato: 'prima' | 'seconda', momento: string, trx: Knex.Transaction) => Promise<void>;

export class SecondaConnessione {
  private trx: Knex.Transaction | null = null;
  private errore: unknown = null;
  private fermare = false;
  /** The tables its steps write (temporary here, copied into the facts' by the first connection). */
  readonly tabelle: readonly TabellaFatti[];
  /** Settles when its steps are done (its transaction still open), or with its failure. */
  readonly calcolata: Promise<void>;

  constructor(
    private readonly db: Database,
    istantanea: string,
    passi: readonly Passo[],
    c: Contesto,
    conta: Conta,
    private readonly tappa: Tappa,
  ) {
    this.tabelle = [...new Set(passi.flatMap((p) => p.tabelle))];
    this.calcolata = this.calcola(istantanea, passi, c, conta);
    // Handled at once: the first connection reads the failure between its own steps (an
    // unhandled rejection would end the process).
    this.calcolata.catch((e: unknown) => {
      this.errore ??= e;
    });
  }

  private async calcola(istantanea: string, passi: readonly Passo[], c: Contesto, conta: Conta): Promise<void> {
    if (!ISTANTANEA.test(istantanea)) throw new Error(`istantanea non valida: ${istantanea}`);
    const trx = await this.db.knex.transaction({ isolationLevel: 'repeatable read' });
    this.trx = trx;
    await trx.raw(`set transaction snapshot '${istantanea}'`);
    await impostazioniLavoroNotturno(trx, this.db.engine);
    for (const t of this.tabelle) await trx.raw(`create temporary table ${ident(t)} (like ${ident(this.db.schema)}.${ident(t)}) on commit drop`);
    for (const p of passi) {
      if (this.fermare) throw new Error('calcolo dei fatti interrotto: la prima connessione non è andata a buon fine');
      await this.tappa('seconda', p.nome, trx);
      await p.esegui(trx, c, conta);
    }
  }

  /** The first connection failed: no further step starts here. */
  ferma(): void {
    this.fermare = true;
  }

  /** Throws its failure, if it failed (the first connection asks between its steps). */
  controlla(): void {
    if (this.errore) throw this.errore;
  }

  /**
   * Waits for its steps, then copies its temporary tables into the facts' tables through the
   * first connection's transaction (`trxPrima`), COPY to COPY; returns the rows copied.
   */
  async trasferisci(trxPrima: Knex.Transaction): Promise<number> {
    await this.calcolata;
    const prima = (await (trxPrima.client as Knex.Client).acquireConnection()) as Connessione;
    const seconda = (await (this.trx!.client as Knex.Client).acquireConnection()) as Connessione;
    let righe = 0;
    for (const t of this.tabelle) {
      righe += await copia(seconda.query(copyTo(`copy pg_temp.${ident(t)} to stdout`)), prima.query(copyFrom(`copy ${ident(this.db.schema)}.${ident(t)} from stdin`)));
    }
    return righe;
  }

  /**
   * Ends its transaction, rolled back (its temporary tables go with it). When the first
   * connection failed first, the steps stop before their next statement: the one running ends
   * on its own (at most one step, ~17 s for the breakdowns at the regional scale).
   */
  async chiudi(): Promise<void> {
    this.ferma();
    await this.calcolata.catch(() => undefined);
    if (this.trx && !this.trx.isCompleted()) await this.trx.rollback().catch(() => undefined);
  }
}

/**
 * A COPY TO of the second connection streamed into a COPY FROM of the first; the rows copied.
 * The source is always read to its end: a COPY TO given up halfway (its stream destroyed)
 * leaves its connection paused for good, and the second connection must still roll back. A
 * destination that failed stops receiving (its error is thrown at the end); a source that
 * failed ends the destination with CopyFail (the first connection's transaction then fails).
 */
async function copia(da: Readable, a: Writable & { rowCount: number }): Promise<number> {
  let errore: Error | null = null;
  a.on('error', (e: Error) => {
    errore ??= e;
  });
  try {
    for await (const pezzo of da) {
      if (errore) continue;
      if (!a.write(pezzo)) await spazio(a);
    }
  } catch (e) {
    a.destroy(e as Error);
    await finished(a).catch(() => undefined);
    throw e;
  }
  if (errore) throw errore;
  a.end();
  await finished(a);
  return a.rowCount;
}

/** Waits for 'drain', or for the error or the close that mean it will never come. */
function spazio(s: Writable): Promise<void> {
  return new Promise((resolve) => {
    const fatto = () => {
      s.off('drain', fatto);
      s.off('error', fatto);
      s.off('close', fatto);
      resolve();
    };
    s.on('drain', fatto);
    s.on('error', fatto);
    s.on('close', fatto);
  });
}
