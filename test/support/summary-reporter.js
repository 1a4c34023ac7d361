// Computes the closing line that CI reads, "N passed, N failed". Jest prints its own summary
// after the reporters, so the line is written to a file that test/run-all.js prints last.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const lines = [];
    if (process.env.CRUSCOTTO_SENZA_BROWSER === '1') {
      lines.push('Test nel browser non eseguiti: Chromium non è installato (apt-get install chromium; REQUIRE_BROWSER=1 rende la sua assenza un errore).');
    }
    lines.push(`${results.numPassedTests} passed, ${failed} failed`);
    scriviDurate(results);
    if (process.env.CRUSCOTTO_SUMMARY_FILE) fs.writeFileSync(process.env.CRUSCOTTO_SUMMARY_FILE, lines.join('\n') + '\n');
    else process.stdout.write('\n' + lines.join('\n') + '\n');
  }
}

/**
 * Seconds per test file of a whole run (test-artifacts/durate-test.json), what
 * test/support/sequenza.js reads from test/durate.json to start the longest files first: copy it
 * there when the suite's times have changed much. Only a run of every file writes it.
 */
function scriviDurate(results) {
  if (results.numTotalTestSuites < 50) return;
  const root = path.resolve(__dirname, '..', '..');
  const durate = {};
  for (const r of results.testResults) {
    const s = (r.perfStats.end - r.perfStats.start) / 1000;
    durate[path.relative(root, r.testFilePath).split(path.sep).join('/')] = Math.round(s * 10) / 10;
  }
  const ordinate = Object.fromEntries(Object.entries(durate).sort((a, b) => b[1] - a[1]));
  fs.mkdirSync(path.join(root, 'test-artifacts'), { recursive: true });
  fs.writeFileSync(path.join(root, 'test-artifacts', 'durate-test.json'), JSON.stringify(ordinate, null, 1) + '\n');
}
module.exports = SummaryReporter;
