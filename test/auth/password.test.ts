import { dummyHash, hashPassword, kdf, needsRehash, passwordProblem, randomPassword, SCRYPT_PARAMS, verifyPassword } from '../../server/auth/password';

describe('password hashing (scrypt)', () => {
  test('the stored hash carries algorithm, parameters and a per-user salt, and verifies', async () => {
    const a = await hashPassword('una frase abbastanza lunga');
    const b = await hashPassword('una frase abbastanza lunga');
    const parts = a.split('$');
    expect(parts.slice(0, 4)).toEqual(['scrypt', String(SCRYPT_PARAMS.N), String(SCRYPT_PARAMS.r), String(SCRYPT_PARAMS.p)]);
    expect(Buffer.from(parts[4], 'base64')).toHaveLength(16);
    expect(a).not.toBe(b); // different salts
    expect(await verifyPassword('una frase abbastanza lunga', a)).toBe(true);
    expect(await verifyPassword('una frase abbastanza lungA', a)).toBe(false);
    expect(needsRehash(a)).toBe(false);
  });

  test('old parameters still verify and are flagged for re-hashing; a malformed value never matches but still costs one scrypt', async () => {
    const old = await hashPassword('vecchia password', { N: 2 ** 10, r: 8, p: 1 });
    expect(await verifyPassword('vecchia password', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
    const spy = jest.spyOn(kdf, 'derive');
    try {
      expect(await verifyPassword('qualsiasi', 'md5$abc')).toBe(false);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0][2]).toEqual(SCRYPT_PARAMS);
    } finally {
      spy.mockRestore();
    }
  });

  test('the dummy hash for unknown accounts uses the current parameters', async () => {
    expect((await dummyHash()).startsWith(`scrypt$${SCRYPT_PARAMS.N}$${SCRYPT_PARAMS.r}$${SCRYPT_PARAMS.p}$`)).toBe(true);
  });

  test('one-time passwords: 16 characters of the unambiguous alphabet, all different', () => {
    const pw = Array.from({ length: 200 }, () => randomPassword());
    for (const p of pw) expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{16}$/);
    expect(new Set(pw).size).toBe(200);
    expect(passwordProblem(randomPassword())).toBeNull();
  });

  test('password rules', () => {
    expect(passwordProblem('corta')).toMatch(/almeno 10/);
    expect(passwordProblem('aaaaaaaaaaaa')).toMatch(/ripetitiva/);
    expect(passwordProblem('mario.rossi-2026!', 'mario.rossi@comune.example')).toMatch(/e-mail/);
    expect(passwordProblem('cavallo batteria graffetta')).toBeNull();
  });
});
