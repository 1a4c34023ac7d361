import http from 'node:http';
import { once } from 'node:events';
import type { createApp as CreateApp } from '../app';
import { loadDemoIfEmpty } from '../demo';
import type { startScheduler as StartScheduler } from '../../jobs/scheduler';
import { markCrashedRuns } from '../../jobs';
import { chiudiAggiornamentiInterrotti } from '../fatti/notte';
import { demoAccountLines } from '../auth/demo';
import { onlyFlags } from './args';
import { limitaCrescitaHeap } from '../shared/heap';
import type { CliCommand, CliIO } from './tipi';

/** Serves until SIGINT/SIGTERM; the database is closed by the CLI afterwards. */
async function serve(io: CliIO, scheduler: boolean, banner: string[] = []): Promise<number> {
  // Listened for before anything else: a service manager's SIGTERM during start-up (or right
  // after the listening line) is a clean stop too, never the default death by signal.
  const fermato = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  const ctx = await io.context();
  limitaCrescitaHeap(ctx.config.heapCrescita);
  if (ctx.config.databaseUrl && !ctx.config.sessionSecret) {
    io.err('SESSION_SECRET è obbligatorio con DATABASE_URL (una stringa casuale lunga, la stessa su ogni istanza).');
    return 2;
  }
  // Runs left 'in_corso' by a previous process that died are marked failed (their lock is free).
  await markCrashedRuns(ctx);
  // So are the updates (imports and their chain) a dead process of this host left open.
  await chiudiAggiornamentiInterrotti(ctx.db);
  // The web application (express, templates, every route) and the scheduler are loaded here, not
  // when the module is: the other commands, imports first, do without their 20 MB of memory.
  const { createApp } = require('../app') as { createApp: typeof CreateApp };
  const { startScheduler } = require('../../jobs/scheduler') as { startScheduler: typeof StartScheduler };
  const app = createApp({ ctx });
  const server = http.createServer(app);
  // Loopback unless HOST says otherwise: the embedded demo prints its passwords (config.ts).
  server.listen(ctx.config.port, ctx.config.host);
  await once(server, 'listening');
  const sched = scheduler ? startScheduler(ctx) : null;
  // The stylesheet and the page script are prepared now rather than for the first visitor.
  void (require('../web/statici') as typeof import('../web/statici')).preparaStatici().catch((e: unknown) => ctx.log.warn({ err: e }, 'file statici non preparati'));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : ctx.config.port;
  const host = typeof addr === 'object' && addr ? addr.address : ctx.config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const soloLocale = /^127\./.test(host) || host === '::1';
  io.out(`Cruscotto in ascolto su ${url}${soloLocale ? ' (solo da questa macchina: HOST per accettare connessioni da fuori)' : ''}${scheduler ? ' (pianificatore dei job attivo)' : ''}. Per fermarlo: Ctrl+C.`);
  for (const line of banner) io.out(line);
  await fermato;
  io.out('Arresto in corso...');
  await sched?.stop();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  return 0;
}

export const serveCommands: CliCommand[] = [
  {
    words: ['serve'],
    usage: 'cruscotto serve [--no-scheduler]',
    description: 'server web (+ pianificatore dei job)',
    booleans: ['no-scheduler'],
    async run(args, io) {
      onlyFlags(args, ['no-scheduler']);
      return serve(io, !args.flags['no-scheduler']);
    },
  },
  {
    words: ['start'],
    usage: 'cruscotto start',
    description: 'come serve; con il database integrato vuoto carica prima i dati dimostrativi (npm start)',
    async run(args, io) {
      onlyFlags(args, []);
      const ctx = await io.context();
      if (!ctx.config.databaseUrl) await loadDemoIfEmpty(ctx, io.out);
      return serve(io, true, await demoAccountLines(ctx));
    },
  },
];
