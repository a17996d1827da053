import type { Metadata } from 'next';
import { WallsView } from '@/components/admin/walls-view';
import '@/components/admin/admin.css';

export const metadata: Metadata = { title: 'Wall tokens · Admin' };

/** `/admin/walls`: kiosk tokens for wall displays (admins only, proxy.ts; the APIs check again). */
export default function AdminWallsPage() {
  return <WallsView />;
}
