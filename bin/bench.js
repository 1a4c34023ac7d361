#!/usr/bin/env node
// `npm run bench -- [--scala ambito|regione] [--db pglite|postgres] [--durata S]`: see docs/bench.md.
require('./tsx-register.js');
require('../bench/index.ts');
