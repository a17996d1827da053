/**
 * Resolves the credentials of a request or socket handshake to a principal:
 * the session cookie first, then a kiosk token (cookie, or handshake auth).
 */
import type pg from 'pg';
import { cookieNames, readCookie } from './cookies';
import type { AuthSettings } from './auth-settings';
import { findKioskPrincipal } from './kiosk-tokens';
import { findSessionUser } from './sessions';
import type { SessionUser } from './session-user';

/** Token-shaped: 43 url-safe base64 characters; anything else is not looked up at all. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface Credentials {
  cookieHeader: string | null | undefined;
  /** A kiosk token given outside cookies (Socket.IO handshake `auth.kioskToken`). */
  kioskToken?: string | null;
}

/** The principal behind the credentials, or null when none is valid. */
export async function resolvePrincipal(
  pool: pg.Pool,
  settings: AuthSettings,
  credentials: Credentials,
): Promise<SessionUser | null> {
  const names = cookieNames(settings.cookies);
  const session = readCookie(credentials.cookieHeader, names.session);
  if (session && TOKEN_SHAPE.test(session)) {
    const user = await findSessionUser(pool, session, settings.sessionSecret);
    if (user) return user;
  }
  const kiosk = credentials.kioskToken || readCookie(credentials.cookieHeader, names.kiosk);
  if (kiosk && TOKEN_SHAPE.test(kiosk)) return findKioskPrincipal(pool, kiosk);
  return null;
}
