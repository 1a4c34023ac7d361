import crypto from 'node:crypto';
import type { Request, Response } from 'express';

/**
 * Our two cookies, signed with SESSION_SECRET (HMAC-SHA256): the session id and, before login,
 * the CSRF token of the login form. The signature is a second lock: the session id is already
 * 32 random bytes looked up in the database, but a forged or tampered value is refused before
 * any query.
 */
export const SESSION_COOKIE = 'cruscotto_sessione';
export const PRE_CSRF_COOKIE = 'cruscotto_csrf';

export function sign(value: string, secret: string): string {
  return `${value}.${crypto.createHmac('sha256', secret).update(value).digest('base64url')}`;
}

export function unsign(signed: string, secret: string): string | null {
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return null;
  const value = signed.slice(0, dot);
  const a = Buffer.from(signed);
  const b = Buffer.from(sign(value, secret));
  return a.length === b.length && crypto.timingSafeEqual(a, b) ? value : null;
}

/** Minimal Cookie header parser (express has none built in; cookie-parser is not a dependency). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const k = part.slice(0, eq).trim();
    if (k in out) continue; // the first one wins, as browsers send the most specific path first
    let v = part.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    try {
      out[k] = decodeURIComponent(v);
    } catch {
      out[k] = v;
    }
  }
  return out;
}

export interface CookiePolicy {
  /** BASE_URL is https: cookies are always Secure (TLS ends at a proxy in front of us). */
  httpsBaseUrl: boolean;
}

/** httpOnly, SameSite=Lax, Secure behind HTTPS; no Max-Age: the cookie dies with the browser. */
export function setCookie(req: Request, res: Response, name: string, value: string, policy: CookiePolicy): void {
  res.cookie(name, value, { httpOnly: true, sameSite: 'lax', secure: policy.httpsBaseUrl || req.secure, path: '/' });
}

export function clearCookie(req: Request, res: Response, name: string, policy: CookiePolicy): void {
  res.clearCookie(name, { httpOnly: true, sameSite: 'lax', secure: policy.httpsBaseUrl || req.secure, path: '/' });
}
