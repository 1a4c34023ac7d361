// Jest transform for TypeScript with esbuild (already installed by tsx). It replaces @swc/jest:
// @swc/core and jest 30's resolver ship per-platform binaries that the registry used here does
// not all carry, which made `npm ci` refuse the lock file.
const crypto = require('node:crypto');
const fs = require('node:fs');
const { transformSync } = require('esbuild');

const SELF = fs.readFileSync(__filename, 'utf8');

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
      // import() becomes require(), as jest's module registry (and its mocks) expects.
      supported: { 'dynamic-import': false },
    });
    return { code: out.code };
  },
};
