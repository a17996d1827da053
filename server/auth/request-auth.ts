/**
 * The one call route handlers make to know who is asking:
 *
 *   const user = await requireUser(request, { roles: ['admin', 'supervisor'], mutation: true });
 *   if (!canSeeSite(user, alert.siteId)) throw new ForbiddenError();
 *
 * Throws UnauthenticatedError (401) without a valid session or kiosk token,
 * ForbiddenError (403) for a role not listed, a kiosk token on a mutation, or
 * (mutation: true) a request from a foreign or missing Origin.
 */
import { ForbiddenError, UnauthenticatedError } from '../errors';
import { webContext } from '../http/web-context';
import { authSettings } from './auth-settings';
import { originProblem } from './origin';
import { resolvePrincipal } from './principal';
import type { Role, SessionUser } from '../../contract/users';

export { canSeeSite } from './session-user';

export interface RequireUserOptions {
  /** Roles allowed; default: any logged-in user (and read-only kiosk tokens). */
  roles?: Role[];
  /** A state-changing request: checks Origin and refuses kiosk tokens. */
  mutation?: boolean;
}

/** The logged-in user of the request, or a thrown 401/403 AppError. */
export async function requireUser(
  request: Request,
  options: RequireUserOptions = {},
): Promise<SessionUser> {
  const { config, db } = webContext();
  const settings = authSettings(config);
  if (options.mutation) {
    // Checked before the session lookup: a forged cross-site request learns nothing.
    const problem = originProblem((name) => request.headers.get(name), settings.origins, {
      requireOrigin: true,
    });
    if (problem) throw new ForbiddenError(problem, 'ORIGIN_REFUSED');
  }
  const user = await resolvePrincipal(db.pool, settings, {
    cookieHeader: request.headers.get('cookie'),
  });
  if (!user) throw new UnauthenticatedError();
  if (options.mutation && user.kind === 'kiosk') {
    throw new ForbiddenError('a wall kiosk token is read-only');
  }
  if (options.roles && !options.roles.includes(user.role)) {
    throw new ForbiddenError(`needs role ${options.roles.join(' or ')}`);
  }
  return user;
}
