import fs from 'node:fs';
import { AppError } from '../shared/errori';

/**
 * A path that cannot be imported at all: missing, of the wrong kind (a file where a folder is
 * expected or the reverse) or unreadable. It is a mistake in the command, not a rejected file
 * set, so it is never recorded in `importazioni` and never counts toward the reliability verdict
 * (issue 14: a typo in `cruscotto import siz` used to hold every comune's digest).
 * `codice` is the CLI's exit code: 2 for a wrong path (usage), 1 for one it cannot read.
 */
export class PercorsoNonValido extends AppError {
  constructor(
    message: string,
    readonly codice: 1 | 2,
  ) {
    super(message, { status: 400 });
  }
}

/** Throws PercorsoNonValido unless `p` is a readable file or folder, as `tipo` says. */
export function verificaPercorso(p: string, tipo: 'file' | 'cartella'): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    throw new PercorsoNonValido(tipo === 'cartella' ? `${p}: la cartella non esiste` : `${p}: il file non esiste`, 2);
  }
  if (tipo === 'cartella' && !st.isDirectory()) throw new PercorsoNonValido(`${p}: non è una cartella (serve la cartella dell'estrazione)`, 2);
  if (tipo === 'file' && !st.isFile()) throw new PercorsoNonValido(`${p}: non è un file`, 2);
  try {
    if (tipo === 'cartella') fs.readdirSync(p);
    else fs.closeSync(fs.openSync(p, 'r'));
  } catch (e) {
    throw new PercorsoNonValido(`${p}: non si può leggere (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 1);
  }
}
