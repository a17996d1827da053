import type { Metadata } from 'next';
import { StorageView } from '@/components/admin/storage-view';
import '@/components/admin/admin.css';

export const metadata: Metadata = { title: 'Storage · Admin' };

/** `/admin/storage`: history storage and retention (admins only, proxy.ts; the API checks again). */
export default function AdminStoragePage() {
  return <StorageView />;
}
