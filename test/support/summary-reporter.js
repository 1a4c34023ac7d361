// Computes the closing line that CI reads, "N passed, N failed". Jest prints its own summary
// after the reporters, so the line is written to a file that test/run-all.js prints last.
const fs = require('node:fs');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const lines = [];
    if (process.env.CRUSCOTTO_SENZA_BROWSER === '1') {
      lines.push('Test nel browser non eseguiti: Chromium non è installato (apt-get install chromium; REQUIRE_BROWSER=1 rende la sua assenza un errore).');
    }
    lines.push(`${results.numPassedTests} passed, ${failed} failed`);
    if (process.env.CRUSCOTTO_SUMMARY_FILE) fs.writeFileSync(process.env.CRUSCOTTO_SUMMARY_FILE, lines.join('\n') + '\n');
    else process.stdout.write('\n' + lines.join('\n') + '\n');
  }
}
module.exports = SummaryReporter;
