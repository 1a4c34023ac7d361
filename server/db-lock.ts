import fs from 'node:fs';
import path from 'node:path';
import { tryLock } from 'fs-native-extensions';
import { AppError } from './shared/errori';

/**
 * PGlite is a single-process database: two processes opening the same folder each keep their own
 * copy in memory and overwrite each other's files (an account added by `cruscotto user add` while
 * the server ran vanished when the server stopped). So the folder is locked by the process that
 * opens it, with an operating-system lock on a file inside it (Linux: an open-file-description
 * lock, elsewhere flock): the kernel releases it when the process ends, however it ends, so a
 * crash or a SIGKILL leaves no stale lock, and no process id is ever guessed. The file itself is
 * never deleted (deleting it would let two processes lock two different files of the same name);
 * what it says (pid, command, since when) is only shown in the refusal.
 */
export const LOCK_FILE = 'cruscotto.lock';

export class DatabaseInUseError extends AppError {
  constructor(
    readonly dir: string,
    readonly holder: string | null,
  ) {
    super(
      `Il database integrato in ${dir} è già aperto da un altro processo${holder ? ` (${holder})` : ''}, di solito il server avviato con npm start o cruscotto serve.\n` +
        'Il database integrato può essere aperto da un solo processo alla volta. Con il server avviato usa le sue pagine ' +
        '(Importazioni, Account, Job: "Esegui ora"), oppure ferma il server (Ctrl+C) e ripeti il comando. ' +
        'Con PostgreSQL (DATABASE_URL) i comandi funzionano anche a server avviato.',
    );
  }
}

export interface FolderLock {
  release(): void;
}

function describeHolder(file: string): string | null {
  try {
    const info = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: number; comando?: string; dal?: string };
    const parts = [info.comando, info.pid ? `processo ${info.pid}` : null, info.dal ? `dal ${info.dal}` : null].filter(Boolean);
    return parts.length ? parts.join(', ') : null;
  } catch {
    return null; // written by nobody yet, or half written: the refusal does without the detail
  }
}

/** Takes the lock of the data folder `dir` (created when missing) or throws DatabaseInUseError. */
export function lockDataFolder(dir: string): FolderLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
  let locked = false;
  try {
    locked = tryLock(fd);
  } finally {
    if (!locked) fs.closeSync(fd);
  }
  if (!locked) throw new DatabaseInUseError(path.dirname(path.resolve(file)), describeHolder(file));
  const info = JSON.stringify({ pid: process.pid, comando: commandLine(), dal: new Date().toISOString() });
  fs.ftruncateSync(fd, 0);
  fs.writeSync(fd, info, 0);
  let open = true;
  return {
    release() {
      if (!open) return;
      open = false;
      fs.closeSync(fd); // closing the descriptor releases the lock
    },
  };
}

function commandLine(): string {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('-')).slice(0, 2);
  return args.length ? `cruscotto ${args.join(' ')}` : path.basename(process.argv[1] ?? 'node');
}
