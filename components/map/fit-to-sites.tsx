'use client';
/**
 * Frames the sites on the first snapshot. Later snapshots (every
 * reconnection) leave the view alone: a supervisor who zoomed in on one site
 * must not be yanked back out by a network blip. The wall (`keepFitted`) has
 * nobody to zoom: it re-frames every site whenever its size changes.
 */
import { useEffect, useRef } from 'react';
import { latLngBounds } from 'leaflet';
import { useMap, useMapEvent } from 'react-leaflet';
import type { LiveStore } from '@/components/realtime/live-store';
import { useRoster } from '@/components/realtime/use-live-store';
import { sitesBounds } from './geofence';

const FIT_OPTIONS = { padding: [48, 48] as [number, number], maxZoom: 17, animate: false };

/** Fits the map to every site's geofence (or, with no sites, to the guards). */
export function FitToSites({
  store,
  keepFitted = false,
}: {
  store: LiveStore;
  keepFitted?: boolean;
}) {
  const map = useMap();
  const roster = useRoster(store);
  const fitted = useRef(false);

  const fit = () => {
    const size = map.getSize();
    // A map laid out at zero size (before CSS, in a hidden tab) would fit to a nonsense zoom.
    if (!roster.ready || size.x < 50 || size.y < 50) return;
    const bounds = sitesBounds(roster.sites) ?? guardBounds(store, roster.guardIds);
    if (!bounds) return;
    map.fitBounds(bounds, FIT_OPTIONS);
    fitted.current = true;
  };
  useMapEvent('resize', () => {
    if (keepFitted || !fitted.current) fit();
  });
  useEffect(() => {
    if (keepFitted || !fitted.current) fit();
    // fit reads the latest roster; re-run when it changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map, store, roster, keepFitted]);

  return null;
}

function guardBounds(store: LiveStore, guardIds: readonly string[]) {
  const points = guardIds.flatMap((id) => {
    const position = store.getGuard(id)?.position;
    return position ? [[position.lat, position.lon] as [number, number]] : [];
  });
  return points.length > 0 ? latLngBounds(points) : null;
}
