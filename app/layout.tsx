import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
// Leaflet's own stylesheet first, so our overrides in globals.css win on equal specificity.
import 'leaflet/dist/leaflet.css';
import './globals.css';
import './styles/tokens.css';
import './styles/controls.css';
import './styles/alerts.css';
import './styles/panels.css';
import './styles/wall.css';
import './styles/fleet.css';

export const metadata: Metadata = {
  title: { default: 'Watchfloor', template: '%s · Watchfloor' },
  description: 'Real-time operations dashboard for guard forces and facilities.',
  applicationName: 'Watchfloor',
  // Served from public/ (scripts/assets/build-public.ts renders the PNGs from the SVG).
  icons: { icon: '/icons/watchfloor.svg', apple: '/icons/icon-192.png' },
};

export const viewport: Viewport = {
  colorScheme: 'dark',
  themeColor: '#0b1016',
};

/** The document shell; each screen brings its own chrome (the wall display has no header). */
export default async function RootLayout({ children }: { children: ReactNode }) {
  // Rendered per request: the CSP nonce (proxy.ts) only reaches Next's scripts in dynamic rendering.
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
