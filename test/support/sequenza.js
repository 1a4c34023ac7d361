// The order jest hands test files to its two workers: longest first, so both end together.
// Jest knows the durations of the last run on this machine from its cache; a fresh clone (CI)
// has none and jest would order by file size, which starts the disclosure audit, a small file
// that runs for minutes, near the end and leaves one worker alone with it. So the durations of
// a whole run are kept in test/durate.json (seconds per file, written to
// test-artifacts/durate-test.json by test/support/summary-reporter.js after every full run):
// a file jest has no time for takes that one, and a new file not listed its size's estimate.
const fs = require('node:fs');
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const ROOT = path.resolve(__dirname, '..', '..');
const DURATE = path.join(__dirname, '..', 'durate.json');

class Sequenza extends Sequencer {
  sort(tests) {
    const note = fs.existsSync(DURATE) ? JSON.parse(fs.readFileSync(DURATE, 'utf8')) : {};
    const stima = (t) => {
      const cache = this.time(t);
      if (cache != null) return cache / 1000;
      const nota = note[path.relative(ROOT, t.path).split(path.sep).join('/')];
      if (nota != null) return nota;
      // About a second per kilobyte of test code: the order of magnitude of this suite.
      return fs.statSync(t.path).size / 1000;
    };
    const durate = new Map(tests.map((t) => [t, stima(t)]));
    return [...tests].sort((a, b) => durate.get(b) - durate.get(a) || (a.path < b.path ? -1 : 1));
  }
}
module.exports = Sequenza;
