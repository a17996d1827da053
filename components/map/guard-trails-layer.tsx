'use client';
/**
 * Ten-minute trails: always for the selected guard, and for every guard in
 * view once zoomed in far enough to tell paths apart. One polyline layer
 * with many parts, redrawn once a second (not per position batch).
 */
import { useMemo, useState } from 'react';
import type { LatLngTuple } from 'leaflet';
import { Polyline, useMap, useMapEvent } from 'react-leaflet';
import type { LiveStore } from '@/components/realtime/live-store';
import { useRoster } from '@/components/realtime/use-live-store';
import { useNow } from '@/components/time/use-now';
import { useMapTheme } from './use-map-theme';
import { useMapZoom } from './use-map-zoom';

/** From this zoom on, every guard in view shows its trail. */
const ALL_TRAILS_ZOOM = 16;

export function GuardTrailsLayer({
  store,
  selectedGuardId,
}: {
  store: LiveStore;
  selectedGuardId: string | null;
}) {
  const map = useMap();
  const theme = useMapTheme();
  const zoom = useMapZoom();
  const now = useNow();
  const { guardIds, clockOffsetMs } = useRoster(store);
  const [viewVersion, setViewVersion] = useState(0);
  useMapEvent('moveend', () => setViewVersion((v) => v + 1));

  const parts = useMemo(() => {
    if (now === 0) return [];
    const serverNow = now + clockOffsetMs;
    const bounds = map.getBounds().pad(0.2);
    const ids =
      zoom >= ALL_TRAILS_ZOOM
        ? guardIds.filter((id) => {
            const position = store.getGuard(id)?.position;
            return (
              position !== null &&
              position !== undefined &&
              bounds.contains([position.lat, position.lon])
            );
          })
        : [];
    if (selectedGuardId && !ids.includes(selectedGuardId)) ids.push(selectedGuardId);
    return ids
      .map((id) => {
        const trail = store
          .getTrail(id, serverNow)
          .map(([, lat, lon]) => [lat, lon] as LatLngTuple);
        const position = store.getGuard(id)?.position;
        // End the trail at the marker, not at the last sampled point.
        if (position) trail.push([position.lat, position.lon]);
        return trail;
      })
      .filter((trail) => trail.length >= 2);
    // viewVersion: recompute which guards are in view after a pan.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [now, zoom, viewVersion, guardIds, clockOffsetMs, selectedGuardId, store, map]);

  if (parts.length === 0) return null;
  return <Polyline positions={parts} pathOptions={theme.trail} interactive={false} />;
}
