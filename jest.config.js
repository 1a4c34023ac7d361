const fs = require('node:fs');

// docs/interfacce.md: browser tests run in Chromium when it is installed; REQUIRE_BROWSER=1 makes its
// absence a failure (the browser test files then fail with a clear message). Without Chromium and
// without REQUIRE_BROWSER (a bare developer machine), those files are left out of the run, and
// the closing summary says so.
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const browserFiles = ['/test/browser/', '/test/variazioni/browser\\.test\\.ts$'];
const withoutBrowser = !fs.existsSync(chromium) && process.env.REQUIRE_BROWSER !== '1';
if (withoutBrowser) process.env.CRUSCOTTO_SENZA_BROWSER = '1';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(withoutBrowser ? browserFiles : [])],
  transform: { '^.+\\.ts$': '<rootDir>/test/support/esbuild-transform.js' },
  testTimeout: 60000,
  // Every test name is printed, so the output shows which ran on [pglite] and which on [postgres].
  verbose: true,
  maxWorkers: 2,
  // Longest files first, from test/durate.json on a fresh clone (test/support/sequenza.js).
  testSequencer: '<rootDir>/test/support/sequenza.js',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
