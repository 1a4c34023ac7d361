// Prints the closing line that CI reads: "N passed, N failed".
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    if (process.env.CRUSCOTTO_SENZA_BROWSER === '1') {
      process.stdout.write('\nTest nel browser non eseguiti: Chromium non è installato (apt-get install chromium; REQUIRE_BROWSER=1 rende la sua assenza un errore).\n');
    }
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed\n`);
  }
}
module.exports = SummaryReporter;
