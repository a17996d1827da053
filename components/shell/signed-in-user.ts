'use client';
/** Who is signed in, read once from /api/auth/me, and how roles read on screen. */
import { useEffect, useState } from 'react';
import type { Role, SessionUser } from '@/contract/users';

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  supervisor: 'Supervisor',
  viewer: 'Viewer',
};

/** The signed-in principal; null until known (and when the session is gone). */
export function useSignedInUser(): SessionUser | null {
  const [user, setUser] = useState<SessionUser | null>(null);
  useEffect(() => {
    const request = new AbortController();
    fetch('/api/auth/me', { signal: request.signal, cache: 'no-store' })
      .then((response) => (response.ok ? response.json() : null))
      .then((body: { user?: SessionUser } | null) => setUser(body?.user ?? null))
      .catch(() => undefined);
    return () => request.abort();
  }, []);
  return user;
}
