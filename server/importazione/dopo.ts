import type { AppContext } from '../context';

/**
 * Steps that belong to each successful import on its own (today: its audit row, which reads the
 * import's log row, so it runs right after it). Jobs that follow imports are not hooks: they are
 * the chain of jobs/catena.ts, run once after all the imports of a run (dopoImportazioni).
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
