import crypto from 'node:crypto';

/**
 * The one HMAC signer of the project (session cookies, "presa visione" links): `value.signature`
 * with HMAC-SHA256 in base64url, checked in constant time. Each use has its own key (the links'
 * key is derived apart), so a value signed for one use never passes for another.
 */
export function firma(value: string, key: string | Buffer): string {
  return `${value}.${crypto.createHmac('sha256', key).update(value).digest('base64url')}`;
}

/** The value of `value.signature` when the signature is right, else null. */
export function verificaFirma(signed: string, key: string | Buffer): string | null {
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return null;
  const a = Buffer.from(signed);
  const b = Buffer.from(firma(signed.slice(0, dot), key));
  return a.length === b.length && crypto.timingSafeEqual(a, b) ? signed.slice(0, dot) : null;
}
