// `npm test`: type-check, then the whole jest suite. The last line is "N passed, N failed".
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', '.'], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('Controllo dei tipi fallito.');
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}
console.log(`Test del database su: PGlite${process.env.TEST_DATABASE_URL ? ' e PostgreSQL (TEST_DATABASE_URL)' : ' (TEST_DATABASE_URL non impostata: niente PostgreSQL)'}`);
const summary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-jest-')), 'riepilogo.txt');
// PGlite loads its WebAssembly with a dynamic import(), which jest's VM allows only with this flag.
const jest = spawnSync(process.execPath, ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', require.resolve('jest/bin/jest'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, CRUSCOTTO_SUMMARY_FILE: summary },
});
const line = fs.existsSync(summary) ? fs.readFileSync(summary, 'utf8') : '0 passed, 1 failed\n';
process.stdout.write('\n' + line);
process.exit(jest.status ?? 1);
