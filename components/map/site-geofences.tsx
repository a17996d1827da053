'use client';
/**
 * Every site's geofence with its name. Geofences are few and static, so they
 * use an SVG renderer (crisp, one DOM path per site that tests and styles can
 * find) while the many moving guard markers stay on the canvas.
 *
 * Sites are a few hundred metres across but may lie kilometres apart, so at
 * the zoom that frames them all a fence can shrink to a few pixels under its
 * own guards. Below a minimum on-screen size a site also gets a fixed-size
 * ring that stays legible. Clicking a site's name zooms to the site.
 */
import { memo, useMemo } from 'react';
import {
  latLng,
  latLngBounds,
  svg,
  type LatLngBounds,
  type LatLngTuple,
  type LeafletEventHandlerFnMap,
  type PathOptions,
  type Renderer,
} from 'leaflet';
import { CircleMarker, Polygon, Tooltip, useMap } from 'react-leaflet';
import type { SiteDto } from '@/contract/guards';
import type { LiveStore } from '@/components/realtime/live-store';
import { useRoster } from '@/components/realtime/use-live-store';
import { geofenceToLatLngs } from './geofence';
import { useMapTheme } from './use-map-theme';
import { useMapZoom } from './use-map-zoom';

/** A fence smaller than this on screen (px) is drawn with an overview ring as well. */
const MIN_FENCE_PX = 44;
const RING_RADIUS_PX = 24;

/** Draws the geofence polygon and name label of every site in the store. */
export function SiteGeofences({ store }: { store: LiveStore }) {
  const { sites } = useRoster(store);
  const theme = useMapTheme();
  const zoom = useMapZoom();
  const renderer = useMemo(() => svg({ padding: 0.5 }), []);
  return sites.map((site) => (
    <SiteGeofence
      key={site.id}
      site={site}
      zoom={zoom}
      renderer={renderer}
      pathOptions={theme.geofence}
    />
  ));
}

interface SiteGeofenceProps {
  site: SiteDto;
  zoom: number;
  renderer: Renderer;
  pathOptions: PathOptions;
}

const SiteGeofence = memo(function SiteGeofence({
  site,
  zoom,
  renderer,
  pathOptions,
}: SiteGeofenceProps) {
  const map = useMap();
  const positions = useMemo(() => geofenceToLatLngs(site.geofence), [site.geofence]);
  const bounds = useMemo(() => boundsOf(positions[0] ?? []), [positions]);
  const small = bounds !== null && pixelSize(map, bounds, zoom) < MIN_FENCE_PX;
  // Leaflet creates the <path> itself; tag it with the site id once it exists.
  const tagPath = useMemo<LeafletEventHandlerFnMap>(
    () => ({
      add: (event) => {
        (event.target as { getElement?: () => Element | undefined })
          .getElement?.()
          ?.setAttribute('data-site-id', site.id);
      },
    }),
    [site.id],
  );
  const zoomToSite = useMemo<LeafletEventHandlerFnMap>(
    () => ({ click: () => bounds && map.flyToBounds(bounds, { padding: [48, 48] }) }),
    [map, bounds],
  );
  if (!bounds) return null;

  // The name sits just above the fence (or its ring): centred, it would cover the guards.
  // It is the one clickable part: the guard canvas above the fences takes their clicks.
  const label = (
    <Tooltip
      permanent
      interactive
      eventHandlers={zoomToSite}
      direction="top"
      position={small ? undefined : latLng(bounds.getNorth(), bounds.getCenter().lng)}
      offset={small ? [0, -RING_RADIUS_PX] : [0, -2]}
      className="wf-site-label"
    >
      <span title={`Zoom to ${site.name}`}>{site.name}</span>
    </Tooltip>
  );
  return (
    <>
      <Polygon
        positions={positions}
        renderer={renderer}
        className="wf-geofence"
        interactive={false}
        pathOptions={pathOptions}
        eventHandlers={tagPath}
      >
        {small ? null : label}
      </Polygon>
      {small && (
        <CircleMarker
          center={bounds.getCenter()}
          radius={RING_RADIUS_PX}
          renderer={renderer}
          className="wf-site-ring"
          interactive={false}
          pathOptions={pathOptions}
        >
          {label}
        </CircleMarker>
      )}
    </>
  );
});

function boundsOf(ring: LatLngTuple[]): LatLngBounds | null {
  return ring.length > 0 ? latLngBounds(ring) : null;
}

/** The larger side of the bounds in screen pixels at the given zoom. */
function pixelSize(map: ReturnType<typeof useMap>, bounds: LatLngBounds, zoom: number): number {
  const a = map.project(bounds.getNorthWest(), zoom);
  const b = map.project(bounds.getSouthEast(), zoom);
  return Math.max(Math.abs(b.x - a.x), Math.abs(b.y - a.y));
}
