/**
 * Who may open which page (the Next proxy's decision; every API route and
 * socket checks again on its own): the login page is public, the wall accepts
 * kiosk tokens, /admin needs an admin, everything else a logged-in user.
 */
import type { SessionUser } from '../../contract/users';

export type PageDecision = 'allow' | 'login' | 'forbidden';

/** Paths served without a session (the login page itself). */
export function isPublicPath(pathname: string): boolean {
  return pathname === '/login' || pathname.startsWith('/login/');
}

/** Decides for a page request. */
export function pageAccess(pathname: string, principal: SessionUser | null): PageDecision {
  if (isPublicPath(pathname)) return 'allow';
  if (!principal) return 'login';
  const wall = pathname === '/wall' || pathname.startsWith('/wall/');
  // A kiosk token opens the wall and nothing else.
  if (principal.kind === 'kiosk') return wall ? 'allow' : 'login';
  if ((pathname === '/admin' || pathname.startsWith('/admin/')) && principal.role !== 'admin') {
    return 'forbidden';
  }
  return 'allow';
}
