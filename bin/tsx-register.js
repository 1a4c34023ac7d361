// Runs the TypeScript sources through tsx (no build step to forget, no stale output).
//
// PGlite's WebAssembly is compiled by TurboFan only, not first by Liftoff (V8's baseline wasm
// compiler) and then again by TurboFan for the hot functions: V8 keeps both copies, and the
// Liftoff one of PostgreSQL cost about 60 MB of RSS in every embedded process (measured with
// `npm run bench:import`: 230 MB before the first row, 171 MB with this flag; peak 300-316 MB
// against 250 MB). The price is paid once, when the database opens: about 1.5 s more on two
// cores. The flag concerns WebAssembly only, so it costs nothing with DATABASE_URL. It must be
// set before PGlite compiles its module, which happens when the database opens.
// (jest does not load this file: tests keep V8's defaults and open PGlite quickly.)
require('node:v8').setFlagsFromString('--no-liftoff');
//
// PGlite is loaded first, before tsx's require hook exists: tsx rewrites the dynamic imports of
// every .cjs file it loads and keeps a source map of it, and for PGlite's 520 KB bundle that
// cost 53 MB of heap in every process (measured: the import of 1M rows peaked at ~300 MB RSS,
// of which this was a sixth). The module is the same either way (require's cache).
require('@electric-sql/pglite');
require('tsx/cjs');
