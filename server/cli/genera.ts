import { DATE_RE, flag, onlyFlags, UsageError } from './args';
import type { CliCommand } from './tipi';
import { genera } from '../genera/index';
import { giornoIso } from '../shared/formato';
import type { Scala } from '../genera/parametri';

export const generaCommands: CliCommand[] = [
  {
    words: ['genera'],
    usage: 'cruscotto genera DIR [--scala ambito|quarto|regione] [--seme N] [--oggi AAAA-MM-GG]',
    description: 'scrive un insieme di dati sintetico e conforme al contratto (deterministico per un seme)',
    async run(args, io) {
      onlyFlags(args, ['scala', 'seme', 'oggi']);
      if (args.positional.length !== 1) throw new UsageError('indicare la cartella di destinazione');
      const scala = flag(args, 'scala', { pattern: /^(ambito|quarto|regione)$/, hint: 'ambito, quarto (un quarto della regione) o regione' }) ?? 'ambito';
      const seme = Number(flag(args, 'seme', { pattern: /^\d+$/, hint: 'un intero' }) ?? '1');
      const oggi = flag(args, 'oggi', { pattern: DATE_RE, hint: 'AAAA-MM-GG' }) ?? giornoIso(new Date(), io.config.tzScheduler);
      const t0 = Date.now();
      const res = await genera({ dir: args.positional[0], scala: scala as Scala, seme, oggi, onProgress: io.progress });
      io.out(`Dati ${scala} (seme ${seme}, oggi ${oggi}) scritti in ${res.dir} in ${((Date.now() - t0) / 1000).toFixed(1)} s:`);
      for (const [k, n] of Object.entries(res.counts)) io.out(`  ${k}: ${n.toLocaleString('it-IT')}`);
      return 0;
    },
  },
];
