#!/usr/bin/env node
// Entry point of the `cruscotto` command. TypeScript sources run through tsx (see tsx-register.js).
require('./tsx-register.js');
// An error nothing caught: one Italian line, a log line, exit 1 (server/guardia.ts).
require('../server/guardia.ts').installaGuardia();
// `cruscotto report ... | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
require('../server/cli.ts').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`Errore: ${err && err.message ? err.message : err}`); process.exitCode = 1; },
);
