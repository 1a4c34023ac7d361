// Jest transform for TypeScript with esbuild (already installed by tsx). It replaces @swc/jest:
// @swc/core and jest 30's resolver ship per-platform binaries that the registry used here does
// not all carry, which made `npm ci` refuse the lock file.
const crypto = require('node:crypto');
const fs = require('node:fs');
const { transformSync } = require('esbuild');

const SELF = fs.readFileSync(__filename, 'utf8');

// Jest runs each test file's modules in a vm context, where every read of a global (`Math`,
// `Map`, `Number`...) goes through the context's interceptors: ~30x slower than in node (a loop
// of Math.round inside jest against the same loop with Math bound to a local). Document building
// is full of such reads, so each module runs inside a function nested in one whose parameters
// bind these globals once: a module's own declaration of one of the names, in the inner
// function, shadows the parameter (never a clash). Never the timers, `Date`, `performance`, `queueMicrotask`, `process` or `console`: jest
// replaces them (fake timers, its console), and a module must see the replacement.
const GLOBALI = [
  'Math', 'JSON', 'Object', 'Array', 'Number', 'String', 'Boolean', 'Symbol', 'BigInt', 'Reflect', 'Intl',
  'Map', 'Set', 'WeakMap', 'WeakSet', 'Promise', 'RegExp',
  'Error', 'TypeError', 'RangeError', 'SyntaxError',
  'ArrayBuffer', 'DataView', 'Uint8Array', 'Int32Array', 'Uint32Array', 'Float64Array',
  'Buffer', 'TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams',
  'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURIComponent', 'decodeURIComponent',
];
// On lines of their own: esbuild moves the source map by the banner's line.
const PRIMA = `(function ({ ${GLOBALI.join(', ')} }) { return (function () {`;
const DOPO = '}).call(this); }).call(this, globalThis);';

module.exports = {
  getCacheKey(source, filename, opts) {
    return crypto.createHash('sha256').update(SELF).update(filename).update(source).update(opts.configString ?? '').digest('hex');
  },
  process(source, filename) {
    const out = transformSync(source, {
      loader: filename.endsWith('.ts') ? 'ts' : 'js',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      sourcefile: filename,
      banner: PRIMA,
      footer: DOPO,
      // import() becomes require(), as jest's module registry (and its mocks) expects.
      supported: { 'dynamic-import': false },
    });
    return { code: out.code };
  },
};
