import crypto from 'node:crypto';

/**
 * Password hashing with scrypt (memory-hard, in node's crypto: no native add-on to build).
 *
 * Stored format: `scrypt$N$r$p$<salt base64>$<hash base64>`. The parameters travel with the hash,
 * so they can be raised later: old hashes still verify with their own parameters and are
 * re-hashed at the next successful login (`needsRehash`).
 *
 * Parameters: N=2^15, r=8, p=3 (one of OWASP's equivalent scrypt settings; 32 MiB, about 0.3 s
 * on one core of the target machine).
 */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const SCRYPT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 3 };
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

/**
 * The one function that burns CPU and memory. Kept on an object so a test can observe that
 * the login path calls it for an unknown account too (same timing class, no enumeration).
 */
export const kdf = {
  derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      crypto.scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...params, maxmem: 128 * params.N * params.r * 2 }, (err, key) =>
        err ? reject(err) : resolve(key),
      );
    });
  },
};

export async function hashPassword(password: string, params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  const salt = crypto.randomBytes(SALT_BYTES);
  const key = await kdf.derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface Parsed {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function parse(stored: string): Parsed | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((x) => Number.isInteger(x) && x > 0) || N < 2 || (N & (N - 1)) !== 0 || N > 2 ** 20 || r > 32 || p > 16) return null;
  return { params: { N, r, p }, salt: Buffer.from(parts[4], 'base64'), key: Buffer.from(parts[5], 'base64') };
}

/** Constant-time comparison; a malformed stored value never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const p = parse(stored);
  if (!p) {
    // Still pay the same cost, so a broken row is not distinguishable by timing either.
    await kdf.derive(password, crypto.randomBytes(SALT_BYTES), SCRYPT_PARAMS);
    return false;
  }
  const key = await kdf.derive(password, p.salt, p.params);
  return key.length === p.key.length && crypto.timingSafeEqual(key, p.key);
}

export function needsRehash(stored: string): boolean {
  const p = parse(stored);
  return !p || p.params.N !== SCRYPT_PARAMS.N || p.params.r !== SCRYPT_PARAMS.r || p.params.p !== SCRYPT_PARAMS.p;
}

let dummy: Promise<string> | null = null;
/**
 * A hash of a random password with the current parameters: verified against when the e-mail is
 * unknown, so both paths run scrypt with the same cost.
 */
export function dummyHash(): Promise<string> {
  return (dummy ??= hashPassword(crypto.randomBytes(16).toString('hex')));
}

/** A one-time password for a new account: 16 characters without look-alikes (0/O, 1/l/I). */
export function randomPassword(length = 16): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.randomBytes(length);
  let out = '';
  // 256 % 56 != 0: reject the biased tail so every character is equally likely.
  for (let i = 0; out.length < length; i++) {
    const b = i < bytes.length ? bytes[i] : crypto.randomBytes(1)[0];
    if (b < 256 - (256 % alphabet.length)) out += alphabet[b % alphabet.length];
  }
  return out;
}

export const PASSWORD_MIN = 10;

/** Why a new password is refused (Italian, for the user), or null when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < PASSWORD_MIN) return `La password deve avere almeno ${PASSWORD_MIN} caratteri.`;
  if (password.length > 200) return 'La password è troppo lunga (al massimo 200 caratteri).';
  if (email && password.toLowerCase().includes(email.toLowerCase().split('@')[0]) && email.split('@')[0].length >= 4) return 'La password non può contenere il nome dell\'indirizzo e-mail.';
  if (new Set(password).size < 4) return 'La password è troppo ripetitiva.';
  return null;
}
