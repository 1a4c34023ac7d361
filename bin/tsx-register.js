// Runs the TypeScript sources through tsx (no build step to forget, no stale output).
//
// PGlite is loaded first, before tsx's require hook exists: tsx rewrites the dynamic imports of
// every .cjs file it loads and keeps a source map of it, and for PGlite's 520 KB bundle that
// cost 53 MB of heap in every process (measured: the import of 1M rows peaked at ~300 MB RSS,
// of which this was a sixth). The module is the same either way (require's cache).
require('@electric-sql/pglite');
require('tsx/cjs');
