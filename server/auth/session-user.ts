/**
 * Who is asking: a logged-in user or a wall kiosk token, with the sites they
 * may see. Plain data, safe to import from anywhere (no server clients).
 */

/** A user's role: admins manage, supervisors act on alerts, viewers only look. */
export type Role = 'admin' | 'supervisor' | 'viewer';

export const USER_ROLES: readonly Role[] = ['admin', 'supervisor', 'viewer'] as const;

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** Sites this principal may see and act on; 'all' for admins (and all-site kiosks). */
  siteIds: string[] | 'all';
  /** 'kiosk': a read-only wall token (role viewer, never allowed a mutation). */
  kind: 'user' | 'kiosk';
}

/**
 * Whether the user may see (and, role permitting, act on) something of this site.
 * Things with no site (unassigned guards, system alerts) are visible to admins only.
 */
export function canSeeSite(user: Pick<SessionUser, 'siteIds'>, siteId: string | null): boolean {
  if (user.siteIds === 'all') return true;
  return siteId !== null && user.siteIds.includes(siteId);
}
