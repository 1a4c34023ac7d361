#!/usr/bin/env node
// Entry point of the `cruscotto` command. TypeScript sources run through tsx,
// so there is no build step to forget and no stale output to debug.
require('tsx/cjs');
require('../server/cli.ts').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err && err.stack ? err.stack : err); process.exitCode = 1; },
);
