import { migrate } from '../db';
import { runJob, UnknownJobError } from '../../jobs';
import { DATE_RE, flag, onlyFlags, UsageError } from './args';
import type { CliCommand } from './tipi';
import { fixedClock } from '../context';

export const baseCommands: CliCommand[] = [
  {
    words: ['migrate'],
    usage: 'cruscotto migrate',
    description: 'applica le migrazioni del database',
    async run(args, io) {
      onlyFlags(args, []);
      const ctx = await io.context(); // opening the context migrates already
      const more = await migrate(ctx.db);
      io.out(more.length ? `Migrazioni applicate: ${more.join(', ')}` : 'Database aggiornato: nessuna migrazione da applicare.');
      return 0;
    },
  },
  {
    words: ['run'],
    usage: 'cruscotto run JOB [--oggi AAAA-MM-GG]',
    description: 'esegue subito un job: inbox, qualita, riconciliazione, variazioni, promemoria, riepilogo, tutti',
    async run(args, io) {
      onlyFlags(args, ['oggi']);
      if (args.positional.length !== 1) throw new UsageError('uso: cruscotto run JOB [--oggi AAAA-MM-GG]');
      const oggi = flag(args, 'oggi', { pattern: DATE_RE, hint: 'AAAA-MM-GG' });
      const ctx = await io.context();
      if (oggi) ctx.clock = fixedClock(oggi);
      try {
        const res = await runJob(ctx, args.positional[0], { oggi });
        io.out(res.messaggio);
        return 0;
      } catch (e) {
        if (e instanceof UnknownJobError) throw new UsageError(e.message);
        throw e;
      }
    },
  },
];
