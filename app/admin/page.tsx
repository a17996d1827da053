import type { Metadata } from 'next';
import { AdminView } from '@/components/admin/admin-view';
import { QUEUE_NAMES } from '@/server/queues/routes';
import '@/components/admin/admin.css';

export const metadata: Metadata = { title: 'Admin' };

/** `/admin`: queue inspection, dead letters, the MQTT quarantine and device commands (admins only, proxy.ts). */
export default function AdminPage() {
  return <AdminView firstQueue={QUEUE_NAMES[0]} />;
}
