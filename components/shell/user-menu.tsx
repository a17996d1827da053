'use client';
/**
 * The signed-in user in the header: name and role, a link to the admin area
 * for admins (outside it), and logout. Logout is a plain form post, so it
 * works without JavaScript; the server answers with a redirect to /login.
 */
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { ROLE_LABELS, useSignedInUser } from './signed-in-user';

/** Name, role, admin link and logout. */
export function UserMenu() {
  const user = useSignedInUser();
  const inAdmin = usePathname()?.startsWith('/admin') ?? false;
  if (!user || user.kind !== 'user') return null;
  return (
    <div className="wf-user" data-testid="signed-in-user">
      {user.role === 'admin' && !inAdmin && (
        <Link className="wf-header__link" href="/admin" prefetch={false}>
          Admin
        </Link>
      )}
      <div className="wf-user__who" title={`${user.name} (${user.email})`}>
        <span className="wf-user__name" data-testid="signed-in-name">
          {user.name}
        </span>
        <span className="wf-user__role" data-testid="signed-in-role">
          {ROLE_LABELS[user.role]}
        </span>
      </div>
      <form method="post" action="/api/auth/logout">
        <button type="submit" className="wf-button wf-button--ghost wf-user__logout">
          Log out
        </button>
      </form>
    </div>
  );
}
