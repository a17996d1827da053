'use client';
/**
 * One canvas marker per guard, coloured by status, with its heading and (zoomed
 * in) its accuracy ring. Each marker subscribes to its own guard, so a
 * position batch moves only the markers it names (Leaflet's setLatLng), and
 * the list of markers re-renders only when the roster changes.
 */
import { memo, useMemo } from 'react';
import { latLng, type LeafletEvent, type LeafletEventHandlerFnMap, type Layer } from 'leaflet';
import { Tooltip } from 'react-leaflet';
import type { AlertStore } from '@/components/alerts/alert-store';
import { GUARD_STATUS_LABELS, type StatusThresholds } from '@/components/guards/guard-status';
import { useGuardStatus } from '@/components/guards/use-guard-status';
import type { LiveStore } from '@/components/realtime/live-store';
import { useGuard, useRoster } from '@/components/realtime/use-live-store';
import { HeadingCircleMarker } from './heading-circle-marker';
import type { MapTheme } from './map-theme';
import { useMapTheme } from './use-map-theme';
import { useMapZoom } from './use-map-zoom';

/** Smaller dots when zoomed out, where a site's guards share a few dozen pixels. */
function markerRadiusPx(zoom: number): number {
  if (zoom >= 16) return 7;
  return zoom >= 14 ? 6 : 5;
}

/**
 * Canvas markers have no DOM element of their own, so the pane keeps a count of
 * the marker layers actually on the map (data-marker-count): a cheap, honest
 * signal for tests and for debugging in the browser's inspector.
 */
function countInPane(event: LeafletEvent, delta: number) {
  const pane = (event.target as Layer).getPane();
  if (pane) pane.dataset.markerCount = String(Number(pane.dataset.markerCount ?? 0) + delta);
}

export interface GuardMarkersProps {
  store: LiveStore;
  alerts: AlertStore;
  selectedGuardId: string | null;
  onSelect?(guardId: string): void;
}

/** Draws a marker for every guard in the store that has a position. */
export function GuardMarkers({ store, alerts, selectedGuardId, onSelect }: GuardMarkersProps) {
  const { guardIds, clockOffsetMs, settings } = useRoster(store);
  const theme = useMapTheme();
  const radius = markerRadiusPx(useMapZoom());
  return guardIds.map((id) => (
    <GuardMarker
      key={id}
      store={store}
      alerts={alerts}
      guardId={id}
      clockOffsetMs={clockOffsetMs}
      thresholds={settings}
      theme={theme}
      radius={id === selectedGuardId ? radius + 3 : radius}
      onSelect={onSelect}
    />
  ));
}

interface GuardMarkerProps {
  store: LiveStore;
  alerts: AlertStore;
  guardId: string;
  clockOffsetMs: number;
  thresholds: StatusThresholds;
  theme: MapTheme;
  radius: number;
  onSelect?(guardId: string): void;
}

const GuardMarker = memo(function GuardMarker({
  store,
  alerts,
  guardId,
  clockOffsetMs,
  thresholds,
  theme,
  radius,
  onSelect,
}: GuardMarkerProps) {
  const guard = useGuard(store, guardId);
  const position = guard?.position;
  const lat = position?.lat;
  const lon = position?.lon;
  // A new center object makes react-leaflet call setLatLng: create one only when the fix moved.
  const center = useMemo(
    () => (lat === undefined || lon === undefined ? null : latLng(lat, lon)),
    [lat, lon],
  );
  const status = useGuardStatus(guard, alerts, clockOffsetMs, thresholds);
  const handlers = useMemo<LeafletEventHandlerFnMap>(
    () => ({
      add: (event) => countInPane(event, 1),
      remove: (event) => countInPane(event, -1),
      click: () => onSelect?.(guardId),
    }),
    [onSelect, guardId],
  );
  if (!guard || !center) return null;
  const sos = status === 'sos';
  return (
    <HeadingCircleMarker
      center={center}
      radius={sos ? radius + 2 : radius}
      headingDeg={position?.headingDeg ?? null}
      accuracyM={position?.accuracyM ?? 0}
      pathOptions={theme.guard[status]}
      eventHandlers={handlers}
    >
      {/* SOS guards carry a permanent label: nobody has to hover to find them. */}
      <Tooltip
        key={sos ? 'sos' : 'hover'}
        permanent={sos}
        direction="top"
        offset={[0, -radius]}
        className={sos ? 'wf-guard-tooltip wf-guard-tooltip--sos' : 'wf-guard-tooltip'}
      >
        {sos ? `SOS · ${guard.name}` : `${guard.name} · ${GUARD_STATUS_LABELS[status]}`}
      </Tooltip>
    </HeadingCircleMarker>
  );
});
