import { ConfigError, loadConfig } from './config';
import { AppContext, openContext } from './context';
import { parseArgs, UsageError } from './cli/args';
import { COMMANDS } from './cli/index';
import type { CliCommand, CliIO } from './cli/tipi';
import { registerFeatures } from './features';
import { guastoDatabase } from './shared/guasti';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return ['Uso: cruscotto COMANDO [opzioni]', '', ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.description}`)].join('\n');
}

function findCommand(argv: string[]): { cmd: CliCommand; rest: string[] } | null {
  // The longest match wins: `import siz` before a hypothetical `import`.
  const sorted = [...COMMANDS].sort((a, b) => b.words.length - a.words.length);
  for (const cmd of sorted) {
    if (cmd.words.every((w, i) => argv[i] === w)) return { cmd, rest: argv.slice(cmd.words.length) };
  }
  return null;
}

/** The `cruscotto` command. Returns the exit code: 0 ok, 1 rejected input or failure, 2 usage. */
export async function main(argv: string[], streams: { out: NodeJS.WritableStream; err: NodeJS.WritableStream } = { out: process.stdout, err: process.stderr }): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help' || argv[0] === '-h') {
    streams.out.write(help() + '\n');
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    streams.err.write(`Comando sconosciuto: ${argv.join(' ')}\n\n${help()}\n`);
    return 2;
  }
  let ctx: AppContext | null = null;
  try {
    const config = loadConfig();
    registerFeatures();
    const isTTY = Boolean((streams.err as NodeJS.WriteStream).isTTY);
    const io: CliIO = {
      out: (l) => streams.out.write(l + '\n'),
      err: (l) => streams.err.write(l + '\n'),
      progress: (l) => {
        if (isTTY) streams.err.write(l + '\n');
      },
      config,
      context: async () => (ctx ??= await openContext(config)),
    };
    const args = parseArgs(found.rest, found.cmd.booleans ?? []);
    return await found.cmd.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      streams.err.write(`Errore: ${e.message}\nUso: ${found.cmd.usage}\n`);
      return 2;
    }
    if (e instanceof ConfigError) {
      streams.err.write(`${e.message}\n`);
      return 2;
    }
    const db = guastoDatabase(e);
    streams.err.write(`Errore: ${db ? `problema del database: ${db}` : (e as Error).message}\n`);
    if (process.env.DEBUG) streams.err.write(`${(e as Error).stack}\n`);
    return 1;
  } finally {
    const c = ctx as AppContext | null;
    if (c) await c.db.close();
  }
}
