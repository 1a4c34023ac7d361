/**
 * No import circle in server/ and jobs/ (a newcomer reads the code top-down; a circle also
 * makes the load order decide what is undefined). The imports are read with the TypeScript
 * compiler's own scanner and resolver, the ones `tsc` uses, so `import type` and re-exports
 * count too; `require()` calls count as well.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
const DIRS = ['server', 'jobs'];

function sorgenti(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sorgenti(p));
    else if (/\.ts$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** file -> the files of server/ and jobs/ it imports. */
function grafo(): Map<string, string[]> {
  const opts: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, allowJs: false };
  const files = DIRS.flatMap((d) => sorgenti(path.join(ROOT, d)));
  const inside = new Set(files);
  const g = new Map<string, string[]>();
  for (const f of files) {
    const info = ts.preProcessFile(fs.readFileSync(f, 'utf8'), true, true);
    const deps: string[] = [];
    for (const imp of info.importedFiles) {
      if (!imp.fileName.startsWith('.')) continue;
      const r = ts.resolveModuleName(imp.fileName, f, opts, ts.sys).resolvedModule?.resolvedFileName;
      if (r && inside.has(path.resolve(r))) deps.push(path.resolve(r));
    }
    g.set(f, deps);
  }
  return g;
}

/** Every circle, as the list of files around it (Tarjan's strongly connected components). */
function cerchi(g: Map<string, string[]>): string[][] {
  let n = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, n);
    low.set(v, n++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(path.relative(ROOT, w));
      } while (w !== v);
      if (comp.length > 1 || (g.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out;
}

test('no import circle in server/ and jobs/', () => {
  const g = grafo();
  expect(g.size).toBeGreaterThan(100); // the scan found the code
  expect([...g.values()].reduce((a, d) => a + d.length, 0)).toBeGreaterThan(300); // and its imports
  expect(cerchi(g)).toEqual([]);
});

test('the check finds a circle when there is one', () => {
  const g = new Map([
    ['/a.ts', ['/b.ts']],
    ['/b.ts', ['/c.ts']],
    ['/c.ts', ['/a.ts']],
    ['/d.ts', ['/a.ts']],
  ]);
  expect(cerchi(g).map((c) => c.length)).toEqual([3]);
});

/**
 * Imports go one way between features that sit on each other (docs/architettura.md): reminders
 * use deadlines and mail; deadlines and mail never reach back into reminders; server/shared uses
 * no feature at all.
 */
test('deadlines and mail sit below reminders; shared sits below everything', () => {
  const g = grafo();
  const cartella = (f: string) => path.relative(ROOT, f).split(path.sep).slice(0, 2).join('/');
  const violazioni: string[] = [];
  const sotto: [string, (dest: string) => boolean][] = [
    ['server/scadenze', (d) => d === 'server/promemoria' || d === 'server/riepilogo'],
    ['server/posta', (d) => d === 'server/promemoria' || d === 'server/riepilogo'],
    ['server/promemoria', (d) => d === 'server/riepilogo'],
    ['server/shared', (d) => d.startsWith('server/') && d !== 'server/shared' && !/\.ts$/.test(d)],
  ];
  for (const [f, deps] of g) {
    for (const [da, vietata] of sotto) {
      if (cartella(f) !== da) continue;
      for (const d of deps) if (vietata(cartella(d))) violazioni.push(`${path.relative(ROOT, f)} -> ${path.relative(ROOT, d)}`);
    }
  }
  expect(violazioni).toEqual([]);
});
