'use client';
/**
 * Frames the sites on the first snapshot. Later snapshots (every
 * reconnection) leave the view alone: a supervisor who zoomed in on one site
 * must not be yanked back out by a network blip. The wall (`keepFitted`) has
 * nobody to zoom: it re-frames every site whenever its size changes. A
 * `focus` (a link naming an alert) is shown instead, once per alert.
 */
import { useEffect, useRef } from 'react';
import { latLngBounds } from 'leaflet';
import { useMap, useMapEvent } from 'react-leaflet';
import type { LiveStore } from '@/components/realtime/live-store';
import { useRoster } from '@/components/realtime/use-live-store';
import { sitesBounds } from './geofence';

const FIT_OPTIONS = { padding: [48, 48] as [number, number], maxZoom: 17, animate: false };
const FOCUS_ZOOM = 17;

/** A place to centre on once (`key` names what it is: an alert). */
export interface MapFocus {
  key: string;
  lat: number;
  lon: number;
}

/** Fits the map to every site's geofence (or, with no sites, to the guards), or to `focus`. */
export function FitToSites({
  store,
  keepFitted = false,
  focus = null,
}: {
  store: LiveStore;
  keepFitted?: boolean;
  focus?: MapFocus | null;
}) {
  const map = useMap();
  const roster = useRoster(store);
  const fitted = useRef(false);
  const focused = useRef<string | null>(null);

  const focusDue = () => focus !== null && focused.current !== focus.key;
  const fit = () => {
    const size = map.getSize();
    // A map laid out at zero size (before CSS, in a hidden tab) would fit to a nonsense zoom.
    if (size.x < 50 || size.y < 50) return;
    if (focus && focusDue()) {
      map.setView([focus.lat, focus.lon], FOCUS_ZOOM, { animate: false });
      focused.current = focus.key;
      fitted.current = true;
      return;
    }
    if (!roster.ready) return;
    const bounds = sitesBounds(roster.sites) ?? guardBounds(store, roster.guardIds);
    if (!bounds) return;
    map.fitBounds(bounds, FIT_OPTIONS);
    fitted.current = true;
  };
  useMapEvent('resize', () => {
    if (keepFitted || !fitted.current || focusDue()) fit();
  });
  useEffect(() => {
    if (keepFitted || !fitted.current || focusDue()) fit();
    // fit reads the latest roster and focus; re-run when they change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map, store, roster, keepFitted, focus]);

  return null;
}

function guardBounds(store: LiveStore, guardIds: readonly string[]) {
  const points = guardIds.flatMap((id) => {
    const position = store.getGuard(id)?.position;
    return position ? [[position.lat, position.lon] as [number, number]] : [];
  });
  return points.length > 0 ? latLngBounds(points) : null;
}
