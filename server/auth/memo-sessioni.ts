import type { Knex } from 'knex';
import type { Database } from '../db';
import { isExpired } from './sessioni';
import type { Sessione, Utente } from './tipi';

/**
 * PGlite has one connection: while an import or a job holds it, every page would wait for its
 * session behind the night. A GET may then pass on the check this process made less than
 * SESSIONE_RECENTE_MS ago (server/auth/middleware.ts, docs/fatti.md). The memo never honours a
 * session that is no longer valid:
 *
 * - **revoked**: on PGlite this process is the only one that can write (server/db-lock.ts), and
 *   every way a session ends (logout, account disabled, role or password changed, invitation
 *   accepted) writes to `sessioni` or `utenti`: any such statement empties the memo before it
 *   runs (knex's `query` event), and a check that was in flight meanwhile is not remembered
 *   (`generazione`);
 * - **expired**: the idle and absolute limits are checked again against the clock at each use.
 *
 * PostgreSQL never uses it.
 */
export const SESSIONE_RECENTE_MS = 5_000;
/** Above this many sessions the memo starts again empty (a bound, not a cache policy). */
const MASSIMO = 1000;

export type SessioneValida = { sessione: Sessione; utente: Utente };

export class MemoSessioni {
  private readonly voci = new Map<string, { trovata: SessioneValida; il: number }>();
  /** Changes at every emptying: a check begun before it is not remembered. */
  generazione = 0;

  /** The session checked less than SESSIONE_RECENTE_MS ago (`ora`, ms) and not expired at `adesso`. */
  recente(id: string, adesso: Date, ora: number): SessioneValida | undefined {
    const v = this.voci.get(id);
    if (!v) return undefined;
    if (ora - v.il >= SESSIONE_RECENTE_MS || ora < v.il || isExpired(v.trovata.sessione, adesso)) {
      this.voci.delete(id);
      return undefined;
    }
    return v.trovata;
  }

  /** Remembers a valid session checked at `ora`, unless the memo was emptied since `generazione`. */
  ricorda(id: string, trovata: SessioneValida, generazione: number, ora: number): void {
    if (generazione !== this.generazione) return;
    if (this.voci.size >= MASSIMO) this.voci.clear();
    this.voci.set(id, { trovata, il: ora });
  }

  dimentica(id: string): void {
    this.voci.delete(id);
  }

  svuota(): void {
    this.voci.clear();
    this.generazione++;
  }
}

/** A statement that may end or change a session: anything but a plain read naming `sessioni` or `utenti`. */
export function toccaAccessi(sql: string | undefined): boolean {
  return typeof sql === 'string' && !/^\s*select\b/i.test(sql) && /\b(sessioni|utenti)\b/i.test(sql);
}

const perDatabase = new WeakMap<Knex, MemoSessioni>();

/** The memo of a database (one per knex instance, shared by every app built on it). */
export function memoSessioni(db: Database): MemoSessioni {
  let m = perDatabase.get(db.knex);
  if (!m) {
    const memo = new MemoSessioni();
    // Emitted by knex before the statement runs, for transactions too.
    db.knex.on('query', (q: { sql?: string }) => {
      if (toccaAccessi(q.sql)) memo.svuota();
    });
    perDatabase.set(db.knex, memo);
    m = memo;
  }
  return m;
}
