/**
 * The naming rule of docs/architettura.md ("Regola dei nomi"): `ctx` is the AppContext and only
 * it. A name declared with a type (parameter, variable, property) is read with the TypeScript
 * parser: `ctx` typed otherwise is a finding, and so is an AppContext under another name in a
 * file that has no `ctx` (a second AppContext beside `ctx`, with another clock, names itself:
 * `allora`, `passato` in server/demo/).
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
const DIRS = ['server', 'jobs'];

function sorgenti(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sorgenti(p) : /\.ts$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The places of one file's text that break the rule, as `name: type` at line n. */
function violazioni(nome: string, testo: string): string[] {
  const sf = ts.createSourceFile(nome, testo, ts.ScriptTarget.Latest, true);
  const dichiarati: { nome: string; tipo: string; riga: number }[] = [];
  const visita = (n: ts.Node) => {
    if ((ts.isParameter(n) || ts.isVariableDeclaration(n) || ts.isPropertyDeclaration(n) || ts.isPropertySignature(n)) && ts.isIdentifier(n.name) && n.type) {
      dichiarati.push({ nome: n.name.text, tipo: n.type.getText(sf), riga: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1 });
    }
    ts.forEachChild(n, visita);
  };
  visita(sf);
  const conCtx = dichiarati.some((d) => d.nome === 'ctx' && d.tipo === 'AppContext');
  return dichiarati
    .filter((d) => (d.nome === 'ctx' && !/\bAppContext\b/.test(d.tipo)) || (d.tipo === 'AppContext' && d.nome !== 'ctx' && !conCtx))
    .map((d) => `${nome}:${d.riga}: ${d.nome}: ${d.tipo}`);
}

test('the check finds a ctx that is not the AppContext, and an AppContext called otherwise', () => {
  expect(violazioni('a.ts', 'function f(ctx: Contesto, x: number) {}')).toEqual(['a.ts:1: ctx: Contesto']);
  expect(violazioni('b.ts', 'function f(app: AppContext) {}')).toEqual(['b.ts:1: app: AppContext']);
  expect(violazioni('c.ts', 'function f(ctx: AppContext) {\n  const allora: AppContext = { ...ctx };\n}')).toEqual([]);
  expect(violazioni('d.ts', 'interface R { ctx: RowContext }')).toEqual(['d.ts:1: ctx: RowContext']);
  expect(violazioni('e.ts', 'let ctx: AppContext | null = null;')).toEqual([]);
});

test('in server/ and jobs/ ctx is always the AppContext', () => {
  const files = DIRS.flatMap((d) => sorgenti(path.join(ROOT, d)));
  expect(files.length).toBeGreaterThan(100); // the scan found the sources
  const trovati = files.flatMap((f) => violazioni(path.relative(ROOT, f), fs.readFileSync(f, 'utf8')));
  expect(trovati).toEqual([]);
});
