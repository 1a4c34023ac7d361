/**
 * The data-access rule of docs/architettura.md: routes validate, check the role, call a service and
 * render; they never query the database themselves (no knex in a routes file).
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

function routes(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? routes(p) : /(^|-)routes\.ts$/.test(e.name) ? [p] : [];
  });
}

test('no routes file queries the database with knex', () => {
  const files = routes(path.join(ROOT, 'server'));
  expect(files.length).toBeGreaterThan(10); // the scan found the routes
  const query = /\.knex(\.raw)?\(|\btrx\(/;
  const trovati = files.flatMap((f) =>
    fs
      .readFileSync(f, 'utf8')
      .split('\n')
      .map((riga, i) => [riga, i + 1] as const)
      .filter(([riga]) => query.test(riga))
      .map(([, n]) => `${path.relative(ROOT, f)}:${n}`),
  );
  expect(trovati).toEqual([]);
});
