/**
 * Database faults in plain Italian, for the command line, the imports, the jobs and the web
 * pages: what happened, never a stack trace. Errors come from `pg` (PostgreSQL's SQLSTATE in
 * `code`, or Node's socket errors), from knex (no free connection) and from PGlite (same codes).
 */
interface ErrLike {
  code?: unknown;
  name?: unknown;
  message?: unknown;
}

const SOCKET: Record<string, string> = {
  ECONNREFUSED: 'il database non risponde (connessione rifiutata): è spento o in riavvio',
  ECONNRESET: 'la connessione al database si è interrotta',
  EPIPE: 'la connessione al database si è interrotta',
  ETIMEDOUT: 'il database non risponde (tempo scaduto)',
  EHOSTUNREACH: 'il database non è raggiungibile in rete',
  ENETUNREACH: 'il database non è raggiungibile in rete',
  ENOTFOUND: "l'indirizzo del database (DATABASE_URL) non si trova",
  EAI_AGAIN: "l'indirizzo del database (DATABASE_URL) non si trova",
};

const SQLSTATE: Record<string, string> = {
  '57P01': 'il database è stato arrestato o riavviato e ha chiuso la connessione',
  '57P02': 'il database si è fermato per un guasto e ha chiuso la connessione',
  '57P03': 'il database si sta avviando o arrestando e non accetta connessioni',
  '53300': 'il database ha raggiunto il numero massimo di connessioni',
  '53100': 'il disco del database è pieno',
  '53200': 'il database ha esaurito la memoria',
  '54000': 'un valore supera i limiti del database (ad esempio un identificativo troppo lungo per un indice)',
  '57014': "l'operazione sul database è stata annullata (tempo massimo superato o annullata dall'amministratore)",
  '40001': "conflitto con un'altra operazione sul database",
  '40P01': "conflitto con un'altra operazione sul database (stallo)",
  '3D000': 'il database indicato in DATABASE_URL non esiste',
  '28000': 'accesso al database negato (utente di DATABASE_URL)',
  '28P01': 'accesso al database negato (password di DATABASE_URL)',
};

/** The database is away (stopped, restarting, unreachable, out of connections): try again later. */
export function databaseAssente(e: unknown): boolean {
  const err = (e ?? {}) as ErrLike;
  const code = typeof err.code === 'string' ? err.code : '';
  if (code in SOCKET || code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code)) return true;
  if (err.name === 'KnexTimeoutError') return true;
  const msg = typeof err.message === 'string' ? err.message : '';
  return /^Connection terminated|connection error and is not queryable|Client was closed|PGlite is closed/i.test(msg);
}

/** What went wrong, in Italian, when `e` is a database fault; null for any other error. */
export function guastoDatabase(e: unknown): string | null {
  const err = (e ?? {}) as ErrLike;
  const code = typeof err.code === 'string' ? err.code : '';
  if (SOCKET[code]) return SOCKET[code];
  if (SQLSTATE[code]) return SQLSTATE[code];
  if (code.startsWith('08')) return 'la connessione al database si è interrotta';
  if (databaseAssente(e)) return err.name === 'KnexTimeoutError' ? 'il database non risponde (nessuna connessione disponibile)' : 'la connessione al database si è interrotta';
  // Any other SQLSTATE: five characters, digits and capitals.
  if (/^[0-9A-Z]{5}$/.test(code)) return `il database ha rifiutato l'operazione (codice ${code})`;
  return null;
}

/** A one-line description of any error for a person: the database fault, else the message, cut short. */
export function descriviErrore(e: unknown): string {
  const db = guastoDatabase(e);
  if (db) return db;
  const msg = e instanceof Error ? e.message : String(e);
  const line = msg.split('\n')[0];
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
