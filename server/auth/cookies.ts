import type { Request, Response } from 'express';
import { firma, verificaFirma } from '../shared/firma';

/**
 * Our two cookies, signed with SESSION_SECRET (HMAC-SHA256): the session id and, before login,
 * the CSRF token of the login form. The signature is a second lock: the session id is already
 * 32 random bytes looked up in the database, but a forged or tampered value is refused before
 * any query.
 */
export const SESSION_COOKIE = 'cruscotto_sessione';
export const PRE_CSRF_COOKIE = 'cruscotto_csrf';

export const sign = (value: string, secret: string): string => firma(value, secret);

export const unsign = (signed: string, secret: string): string | null => verificaFirma(signed, secret);

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
