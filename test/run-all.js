// `npm test`: the type check and the whole jest suite, side by side (the check is ~15 s of one
// core, and jest leaves a core idle at its start and end). The last line is "N passed, N failed";
// a failed type check counts as one more failure, and its errors are printed after jest's output.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

function run(args, opts) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, opts);
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (out += d));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out }));
  });
}

(async () => {
  console.log(`Test del database su: PGlite${process.env.TEST_DATABASE_URL ? ' e PostgreSQL (TEST_DATABASE_URL)' : ' (TEST_DATABASE_URL non impostata: niente PostgreSQL)'}`);
  const tsc = run([require.resolve('typescript/bin/tsc'), '--noEmit', '-p', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const summary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-jest-')), 'riepilogo.txt');
  // PGlite loads its WebAssembly with a dynamic import(), which jest's VM allows only with this flag.
  const jest = await run(['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', require.resolve('jest/bin/jest'), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, CRUSCOTTO_SUMMARY_FILE: summary },
  });
  const tipi = await tsc;
  let [passed, failed] = [0, 1];
  const line = fs.existsSync(summary) ? fs.readFileSync(summary, 'utf8') : '';
  const m = /(\d+) passed, (\d+) failed/.exec(line);
  if (m) [passed, failed] = [Number(m[1]), Number(m[2])];
  const altre = line.split('\n').filter((l) => l && !/^\d+ passed, \d+ failed$/.test(l));
  if (altre.length) process.stdout.write(`\n${altre.join('\n')}\n`);
  if (tipi.code !== 0) {
    process.stdout.write(`\nControllo dei tipi fallito:\n${tipi.out}`);
    failed++;
  } else console.log('\nControllo dei tipi: nessun errore.');
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  process.exit(jest.code !== 0 || tipi.code !== 0 ? 1 : 0);
})();
