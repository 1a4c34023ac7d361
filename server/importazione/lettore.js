// The entry of a reading worker (lettura-parallela.ts): a worker thread loads its file as plain
// node does, outside jest and outside the process's tsx hook, so the TypeScript sources are
// registered here the way bin/tsx-register.js does (without PGlite: the worker never opens a
// database, and tsx's hook keeps a copy of every module it loads).
require('tsx/cjs');
require('./lettore.ts');
