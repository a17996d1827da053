/**
 * The session and kiosk cookies: HttpOnly, SameSite=Strict, and Secure (with the
 * __Host- prefix, which browsers only accept from HTTPS) when served securely.
 */

export interface CookieSettings {
  /** Secure cookies: production, unless it is the loopback-only local demo. */
  secure: boolean;
}

/** Cookie names for the settings: the __Host- prefix pins them to this host and path. */
export function cookieNames({ secure }: CookieSettings) {
  return secure
    ? { session: '__Host-wf_session', kiosk: '__Host-wf_kiosk' }
    : { session: 'wf_session', kiosk: 'wf_kiosk' };
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      const value = part.slice(index + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** A Set-Cookie value; maxAgeSeconds 0 clears the cookie. */
export function serializeCookie(
  name: string,
  value: string,
  maxAgeSeconds: number,
  { secure }: CookieSettings,
): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
  ];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}
