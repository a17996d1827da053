'use client';
/**
 * The frame of every admin page: the header with the admin sections (one
 * route each), the way back to the live map, and the signed-in user.
 */
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/shell/app-header';

const SECTIONS = [
  { href: '/admin', label: 'Operations' },
  { href: '/admin/users', label: 'Users' },
  { href: '/admin/walls', label: 'Wall tokens' },
  { href: '/admin/escalation', label: 'Escalation' },
  { href: '/admin/audit', label: 'Audit log' },
  { href: '/admin/storage', label: 'Storage' },
] as const;

interface AdminShellProps {
  /** Header extras before the user menu (the operations page's connection pill). */
  status?: ReactNode;
  children: ReactNode;
}

/** Header with section navigation, then the page. */
export function AdminShell({ status, children }: AdminShellProps) {
  const pathname = usePathname();
  return (
    <div className="wf-shell wf-admin">
      <AppHeader screen="Admin">
        <nav className="wf-admin-nav" aria-label="Admin sections">
          {SECTIONS.map((section) => (
            <Link
              key={section.href}
              className="wf-admin-nav__link"
              href={section.href}
              prefetch={false}
              aria-current={pathname === section.href ? 'page' : undefined}
            >
              {section.label}
            </Link>
          ))}
        </nav>
        <Link className="wf-header__link" href="/" prefetch={false}>
          Live map
        </Link>
        {status}
      </AppHeader>
      {children}
    </div>
  );
}
