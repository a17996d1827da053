/**
 * `/wall?token=...` links: the token is looked up before any cookie is set
 * (a mistyped, revoked or expired link sets nothing), then swapped for an
 * HttpOnly cookie and dropped from the address bar by a redirect. URLs that
 * may carry it are redacted before they reach a log line.
 */
import type pg from 'pg';
import type { AuthSettings } from '../auth/auth-settings';
import { cookieNames, serializeCookie } from '../auth/cookies';
import { findKioskPrincipal } from '../auth/kiosk-tokens';

/** The query parameter of wall links. */
export const KIOSK_LINK_PARAM = 'token';

/** Kiosk cookies live as long as a wall display is left running: a year; revocation or expiry ends them. */
const KIOSK_COOKIE_SECONDS = 365 * 24 * 3600;

/** The Set-Cookie value for a live token; null (nothing to set) when the token opens nothing. */
export async function kioskLinkCookie(
  pool: pg.Pool,
  settings: AuthSettings,
  token: string,
): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const principal = await findKioskPrincipal(pool, token);
  if (!principal) return null;
  return serializeCookie(
    cookieNames(settings.cookies).kiosk,
    token,
    KIOSK_COOKIE_SECONDS,
    settings.cookies,
  );
}

/** The URL with any kiosk token replaced, for logs. */
export function redactKioskToken(url: string | undefined): string | undefined {
  return url?.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}
