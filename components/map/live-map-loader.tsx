'use client';
/**
 * Loads the Leaflet map in the browser only: Leaflet reads `window` when it is
 * imported, so it can neither render on the server nor be imported statically.
 * (`ssr: false` is only allowed inside a client component.)
 */
import dynamic from 'next/dynamic';

/** The live map, rendered client-side, with a placeholder while its chunk loads. */
export const LiveMapLoader = dynamic(() => import('./live-map').then((mod) => mod.LiveMap), {
  ssr: false,
  loading: () => (
    <div className="wf-map wf-map--loading" role="status">
      Loading map…
    </div>
  ),
});
