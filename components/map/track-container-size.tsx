'use client';
/**
 * Leaflet measures its container once; when the layout around it changes
 * (panel appears, window resizes, fonts load) the map must be told, or it
 * draws into the old size and leaves a blank strip.
 */
import { useEffect } from 'react';
import { useMap } from 'react-leaflet';

/** Keeps Leaflet's idea of the container size in step with the real one. */
export function TrackContainerSize() {
  const map = useMap();
  useEffect(() => {
    const observer = new ResizeObserver(() => map.invalidateSize({ pan: false }));
    observer.observe(map.getContainer());
    return () => observer.disconnect();
  }, [map]);
  return null;
}
