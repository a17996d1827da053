'use client';
import { useState } from 'react';
import { useMap, useMapEvent } from 'react-leaflet';

/** The map's zoom level, updated once each zoom ends (not per animation frame). */
export function useMapZoom(): number {
  const map = useMap();
  const [zoom, setZoom] = useState(() => map.getZoom());
  useMapEvent('zoomend', () => setZoom(map.getZoom()));
  return zoom;
}
