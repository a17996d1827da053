/**
 * Who is asking: a logged-in user or a wall kiosk token, with the sites they
 * may see. Plain data, safe to import from anywhere (no server clients).
 */
import type { SessionUser } from '../../contract/users';

/**
 * Whether the user may see (and, role permitting, act on) something of this site.
 * Things with no site (unassigned guards, system alerts) are visible to admins only.
 */
export function canSeeSite(user: Pick<SessionUser, 'siteIds'>, siteId: string | null): boolean {
  if (user.siteIds === 'all') return true;
  return siteId !== null && user.siteIds.includes(siteId);
}
