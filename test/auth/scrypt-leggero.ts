/**
 * For test files about sessions, roles, lock-outs and accounts, not about hashing: from the
 * file's beforeAll to its afterAll, scrypt runs at 1/64 of the memory and work of the production
 * parameters (N / 64, same r and p: ~0.5 MiB, a few ms instead of ~0.3 s per login).
 *
 * Only the cost of the derivation changes. Every caller still passes its parameters to
 * `kdf.derive` (a spy sees SCRYPT_PARAMS, as the enumeration tests check), hashes are still
 * stored as `scrypt$32768$8$3$...`, a different password or salt (or parameters, for N of 128
 * and more) still gives a different key, and a wrong password still fails. The production cost itself, and hashes made
 * at it, are checked with real scrypt in test/auth/password.test.ts.
 */
import { kdf, ScryptParams } from '../../server/auth/password';

export function leggero(params: ScryptParams): ScryptParams {
  return { N: Math.max(2, params.N / 64), r: params.r, p: params.p };
}

export function scryptLeggero(): void {
  let real: typeof kdf.derive | undefined;
  beforeAll(() => {
    const derive = (real = kdf.derive);
    kdf.derive = (password, salt, params) => derive.call(kdf, password, salt, leggero(params));
  });
  afterAll(() => {
    if (real) kdf.derive = real;
  });
}
