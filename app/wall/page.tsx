import type { Metadata } from 'next';
import { WallView } from '@/components/wall/wall-view';

// The web app manifest (public/) lets a kiosk browser install the wall full-screen.
export const metadata: Metadata = { title: 'Wall display', manifest: '/manifest.webmanifest' };

/** `/wall`: the control-room wall display. Everything live happens client-side over Socket.IO. */
export default function WallPage() {
  return <WallView />;
}
