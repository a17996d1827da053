import type { Metadata } from 'next';
import { WallView } from '@/components/wall/wall-view';

export const metadata: Metadata = { title: 'Wall display' };

/** `/wall`: the control-room wall display. Everything live happens client-side over Socket.IO. */
export default function WallPage() {
  return <WallView />;
}
