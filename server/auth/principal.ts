/**
 * Resolves the credentials of a request or socket handshake to a principal:
 * the session cookie first, then a kiosk token (cookie, or handshake auth).
 */
import type pg from 'pg';
import { cookieNames, readCookie } from './cookies';
import type { AuthSettings } from './auth-settings';
import { findKioskPrincipal, findKioskPrincipalById } from './kiosk-tokens';
import { findActiveUser, findSessionUser } from './sessions';
import type { SessionUser } from '../../contract/users';

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

/**
 * What a principal may do now, by id alone: the user's current role and sites,
 * or the kiosk token if still live. Null when the user is disabled or gone, or
 * the token revoked or expired. (Socket recovery has no credentials to go on.)
 */
export function currentPrincipal(
  pool: pg.Pool,
  principal: Pick<SessionUser, 'id' | 'kind'>,
): Promise<SessionUser | null> {
  return principal.kind === 'kiosk'
    ? findKioskPrincipalById(pool, principal.id)
    : findActiveUser(pool, principal.id);
}
