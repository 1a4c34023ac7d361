// `npm test`: type-check, then the whole jest suite. The last line is "N passed, N failed".
const { spawnSync } = require('node:child_process');
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', '.'], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('Controllo dei tipi fallito.');
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}
console.log(`Test del database su: PGlite${process.env.TEST_DATABASE_URL ? ' e PostgreSQL (TEST_DATABASE_URL)' : ' (TEST_DATABASE_URL non impostata: niente PostgreSQL)'}`);
// PGlite loads its WebAssembly with a dynamic import(), which jest's VM allows only with this flag.
const jest = spawnSync(process.execPath, ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', require.resolve('jest/bin/jest'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(jest.status ?? 1);
