import type { Config } from '../config';
import type { AppContext } from '../context';
import type { ParsedArgs } from './args';

/** What a command can use: output streams and, lazily, the application context. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** Progress lines: shown on a terminal, silent when stderr is not one. */
  progress(line: string): void;
  config: Config;
  context(): Promise<AppContext>;
}

export interface CliCommand {
  /** Words that select the command, e.g. ['import', 'siz']. */
  words: string[];
  usage: string;
  description: string;
  booleans?: string[];
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}
