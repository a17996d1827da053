import type { Metadata } from 'next';
import { UsersView } from '@/components/admin/users-view';
import '@/components/admin/admin.css';

export const metadata: Metadata = { title: 'Users · Admin' };

/** `/admin/users`: user accounts, roles and sites (admins only, proxy.ts; the APIs check again). */
export default function AdminUsersPage() {
  return <UsersView />;
}
