import { ImportRejected } from '../importazione/problemi';
import { ImportFailed, type ImportOutcome } from '../importazione/registro';
import { PercorsoNonValido } from '../importazione/percorso';
import { importSiz } from '../importazione/siz';
import { importComuni } from '../importazione/comuni';
import { importCensimento } from '../importazione/censimento';
import { importAnagrafe } from '../importazione/anagrafe';
import { importNomenclatore } from '../importazione/nomenclatore';
import { importScadenze } from '../importazione/scadenze';
import { dopoImportazioni } from '../../jobs';
import { aggiornamento } from '../fatti/notte';
import type { AppContext } from '../context';
import { DATE_RE, flag, onlyFlags, UsageError } from './args';
import type { CliCommand, CliIO } from './tipi';
import { cliAutore } from './autore';

interface Flags {
  data?: string;
  conferma?: boolean;
}

type Importer = (ctx: AppContext, target: string, io: CliIO, flags: Flags) => Promise<ImportOutcome>;

const IMPORTERS: { kind: string; arg: string; desc: string; fn: Importer; flags?: string[]; booleans?: string[] }[] = [
  { kind: 'comuni', arg: 'FILE.csv', desc: 'anagrafica dei comuni', fn: (ctx, t, io) => importComuni(ctx.db, t, { log: io.progress, utente: cliAutore(), limiti: ctx.config.limiti }) },
  {
    kind: 'siz',
    arg: 'DIR [--conferma]',
    desc: 'estrazione SIZ (cartella); --conferma la applica anche se una tabella perde troppe righe',
    booleans: ['conferma'],
    fn: (ctx, t, io, f) => importSiz(ctx.db, t, { log: io.progress, utente: cliAutore(), limiti: ctx.config.limiti, conferma: f.conferma }),
  },
  { kind: 'censimento', arg: 'FILE.csv|FILE.xlsx', desc: 'censimento dei comuni', fn: (ctx, t, io) => importCensimento(ctx.db, t, { log: io.progress, utente: cliAutore(), limiti: ctx.config.limiti }) },
  { kind: 'anagrafe', arg: 'FILE.csv [--data AAAA-MM-GG]', desc: "snapshot dell'anagrafe", flags: ['data'], fn: (ctx, t, io, f) => importAnagrafe(ctx.db, t, { log: io.progress, utente: cliAutore(), limiti: ctx.config.limiti, data: f.data, oggi: ctx.clock.today() }) },
  { kind: 'nomenclatore', arg: 'FILE.csv', desc: 'sostituisce il nomenclatore delle prestazioni', fn: (ctx, t, io) => importNomenclatore(ctx.db, t, { log: io.progress, utente: cliAutore(), limiti: ctx.config.limiti }) },
  { kind: 'scadenze', arg: 'FILE.csv', desc: 'piano delle scadenze', fn: (ctx, t, io) => importScadenze(ctx.db, t, { log: io.progress, utente: cliAutore(), limiti: ctx.config.limiti }) },
];

export const importCommands: CliCommand[] = IMPORTERS.map((imp) => ({
  words: ['import', imp.kind],
  usage: `cruscotto import ${imp.kind} ${imp.arg}`,
  description: imp.desc,
  booleans: imp.booleans,
  async run(args, io) {
    onlyFlags(args, [...(imp.flags ?? []), ...(imp.booleans ?? [])]);
    if (args.positional.length !== 1) throw new UsageError(`uso: cruscotto import ${imp.kind} ${imp.arg}`);
    const flags: Flags = {
      data: imp.flags?.includes('data') ? flag(args, 'data', { pattern: DATE_RE, hint: 'AAAA-MM-GG' }) : undefined,
      conferma: args.flags.conferma === true,
    };
    const ctx = await io.context();
    try {
      // The import and its chain are one night for the pages (server/fatti/notte.ts).
      await aggiornamento(ctx.db, `cruscotto import ${imp.kind}`, async () => {
        const out = await imp.fn(ctx, args.positional[0], io, flags);
        for (const w of out.avvisi) io.err(`avviso: ${w}`);
        io.out(out.messaggio);
        if (out.esito === 'ok') for (const line of await dopoImportazioni(ctx, [imp.kind])) io.out(line);
      });
      return 0;
    } catch (e) {
      if (e instanceof ImportRejected) {
        for (const w of e.warnings) io.err(`avviso: ${w}`);
        io.err(e.report());
        return 1;
      }
      if (e instanceof PercorsoNonValido) {
        io.err(`Errore: ${e.message}. Nessun dato è stato modificato e nessuna importazione è stata registrata.`);
        return e.codice;
      }
      if (e instanceof ImportFailed) {
        io.err(`Errore: ${e.message}`);
        return 1;
      }
      throw e;
    }
  },
}));
