import type { AppContext } from '../context';

/**
 * What runs after a successful import (the data-quality checks, the reconciliation...).
 * Features register their follow-up here; each returns a line for the user.
 */
export type AfterImportHook = (ctx: AppContext, kind: string) => Promise<string | null>;

const hooks: AfterImportHook[] = [];

export function onImport(hook: AfterImportHook): void {
  hooks.push(hook);
}

export async function afterImport(ctx: AppContext, kind: string): Promise<string[]> {
  const lines: string[] = [];
  for (const h of hooks) {
    const line = await h(ctx, kind);
    if (line) lines.push(line);
  }
  return lines;
}
