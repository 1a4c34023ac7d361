/** Wrong usage: exit code 2. */
import { AppError } from '../shared/errori';
export class UsageError extends AppError {}

export interface ParsedArgs {
  positional: string[];
  flags: Record<string, string | true>;
}

/** `--name value`, `--name=value` and boolean `--name` (when `booleans` lists it). */
export function parseArgs(argv: string[], booleans: string[] = []): ParsedArgs {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
    if (eq !== -1) flags[name] = a.slice(eq + 1);
    else if (booleans.includes(name)) flags[name] = true;
    else {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`manca il valore di --${name}`);
      flags[name] = v;
      i++;
    }
  }
  return { positional, flags };
}

/** A string flag, validated; throws UsageError with a clear message. */
export function flag(args: ParsedArgs, name: string, opts: { required?: boolean; pattern?: RegExp; hint?: string } = {}): string | undefined {
  const v = args.flags[name];
  if (v === undefined) {
    if (opts.required) throw new UsageError(`manca --${name}${opts.hint ? ` (${opts.hint})` : ''}`);
    return undefined;
  }
  if (v === true) throw new UsageError(`manca il valore di --${name}`);
  if (opts.pattern && !opts.pattern.test(v)) throw new UsageError(`valore non valido per --${name}: "${v}"${opts.hint ? ` (${opts.hint})` : ''}`);
  return v;
}

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const ISTAT_RE = /^\d{6}$/;

export function onlyFlags(args: ParsedArgs, allowed: string[]): void {
  for (const k of Object.keys(args.flags)) if (!allowed.includes(k)) throw new UsageError(`opzione sconosciuta --${k}`);
}
