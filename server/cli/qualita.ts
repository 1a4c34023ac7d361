import fs from 'node:fs';
import { findingsCsv, reportJson } from '../qualita/service';
import { comuneText, summaryText } from '../qualita/testo';
import { flag, onlyFlags, UsageError } from './args';
import type { CliCommand } from './tipi';

/** A 6-digit ISTAT code, or `non_attribuito` for the rows without a valid comune. */
const COMUNE_RE = /^(\d{6}|non_attribuito)$/;
const COMUNE_HINT = 'codice ISTAT di 6 cifre o non_attribuito';

export const qualitaCommands: CliCommand[] = [
  {
    words: ['report', 'qualita'],
    usage: 'cruscotto report qualita [--comune ISTAT] [--json]',
    description: 'ultimi controlli di qualità dei dati: punteggio e segnalazioni per comune',
    booleans: ['json'],
    async run(args, io) {
      onlyFlags(args, ['comune', 'json']);
      if (args.positional.length) throw new UsageError(`argomento inatteso: ${args.positional[0]}`);
      const comune = flag(args, 'comune', { pattern: COMUNE_RE, hint: COMUNE_HINT });
      const ctx = await io.context();
      const doc = await reportJson(ctx.db, { comune });
      if (args.flags.json) io.out(JSON.stringify(doc, null, 2));
      else for (const l of comune ? comuneText(doc, comune, doc.risultati ?? []) : summaryText(doc)) io.out(l);
      return 0;
    },
  },
  {
    words: ['export', 'qualita'],
    usage: 'cruscotto export qualita --comune ISTAT FILE.csv',
    description: 'segnalazioni di qualità di un comune in CSV (separatore ;, per Excel)',
    async run(args, io) {
      onlyFlags(args, ['comune']);
      const comune = flag(args, 'comune', { required: true, pattern: COMUNE_RE, hint: COMUNE_HINT })!;
      if (args.positional.length !== 1) throw new UsageError('indicare il file CSV da scrivere');
      const ctx = await io.context();
      const text = await findingsCsv(ctx.db, comune);
      fs.writeFileSync(args.positional[0], text);
      const righe = text.split('\r\n').length - 2;
      io.out(`Scritte ${righe.toLocaleString('it-IT')} segnalazioni del comune ${comune} in ${args.positional[0]}.`);
      return 0;
    },
  },
];
