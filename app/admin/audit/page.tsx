import type { Metadata } from 'next';
import { AuditView } from '@/components/admin/audit-view';
import '@/components/admin/admin.css';

export const metadata: Metadata = { title: 'Audit log · Admin' };

/** `/admin/audit`: the audit log (admins only, proxy.ts; the API checks again). */
export default function AdminAuditPage() {
  return <AuditView />;
}
