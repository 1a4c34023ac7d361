/**
 * What the benchmark's orchestrators (bench/index.ts, bench/crescita.ts) share: the cached data
 * set, the app child driven by IPC (bench/app.ts, bench/protocollo.ts), the throw-away schema.
 */
import { ChildProcess, spawnSync } from 'node:child_process';
import path from 'node:path';
import { datasetDir, isCached } from './dataset';
import type { Messaggio, Comando } from './protocollo';

/** The data set of (scala, seme, oggi), generated in a child process when not cached yet. */
export function preparaDataset(scala: string, seme: number, oggi: string, say: (s: string) => void): { dir: string; generazione_s: number | null } {
  const dir = datasetDir(scala, seme, oggi);
  if (isCached(dir)) {
    say(`data set in cache: ${dir}`);
    return { dir, generazione_s: null };
  }
  say(`genero il data set ${scala} (seme ${seme}, oggi ${oggi}) in ${dir} ...`);
  const t = Date.now();
  const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'dataset.ts'), scala, String(seme), oggi], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`generazione non riuscita (codice ${r.status})`);
  return { dir, generazione_s: (Date.now() - t) / 1000 };
}

export class App {
  private readonly waiting = new Map<string, (m: Messaggio) => void>();
  private readonly inbox: Messaggio[] = [];
  constructor(readonly child: ChildProcess) {
    child.on('message', (m: Messaggio) => {
      const w = this.waiting.get(m.tipo);
      if (w) {
        this.waiting.delete(m.tipo);
        w(m);
      } else this.inbox.push(m);
    });
  }
  send(c: Comando): void {
    this.child.send(c);
  }
  next<T extends Messaggio['tipo']>(tipo: T): Promise<Extract<Messaggio, { tipo: T }>> {
    const i = this.inbox.findIndex((m) => m.tipo === tipo);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0] as Extract<Messaggio, { tipo: T }>);
    return new Promise((resolve, reject) => {
      // The exit listener goes with the answer: one left per message waited for added up to
      // Node's MaxListeners warning in every regional bench.
      const uscito = (c: number | null) => reject(new Error(`il processo dell'applicazione è uscito (${c}) mentre attendevo "${tipo}"`));
      this.child.once('exit', uscito);
      this.waiting.set(tipo, (m: Messaggio) => {
        this.child.off('exit', uscito);
        (resolve as (m: Messaggio) => void)(m);
      });
    });
  }
}


export async function dropSchema(url: string, schema: string): Promise<void> {
  const { Client } = await import('pg');
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`drop schema if exists "${schema.replace(/"/g, '')}" cascade`);
  } finally {
    await c.end();
  }
}

