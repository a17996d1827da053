'use client';
/**
 * The live map: site geofences, every guard and its trail on one canvas, alert pins and
 * (when a replay is open) the replayed paths. Tiles only when the tile server
 * answers (these deployments are often offline). Leaflet touches `window` at
 * import time, so load this module through LiveMapLoader only.
 */
import type { LatLngTuple } from 'leaflet';
import { MapContainer, Pane } from 'react-leaflet';
import type { AlertStore } from '@/components/alerts/alert-store';
import type { FleetStore } from '@/components/fleet/fleet-store';
import type { LiveStore } from '@/components/realtime/live-store';
import { useRoster } from '@/components/realtime/use-live-store';
import { AlertMarkers } from './alert-markers';
import { FitToSites, type MapFocus } from './fit-to-sites';
import { GuardMarkers } from './guard-markers';
import { ProbedTileLayer } from './probed-tile-layer';
import { ReplayLayer, type ReplayView } from './replay-layer';
import { SensorMarkers } from './sensor-markers';
import { SiteGeofences } from './site-geofences';
import { TrackContainerSize } from './track-container-size';

export interface LiveMapProps {
  store: LiveStore;
  alerts: AlertStore;
  selectedGuardId?: string | null;
  onSelectGuard?(guardId: string): void;
  /** History replay to draw over the live map, or null. */
  replay?: ReplayView | null;
  /** The wall display: no zoom buttons, no pointer interaction needed. */
  passive?: boolean;
  /** Sensors with a location, drawn as their own layer when given. */
  sensors?: FleetStore | null;
  /** Where to centre once (an alert a link names), instead of framing the sites. */
  focus?: MapFocus | null;
}

// Until the first snapshot frames the sites, show the whole world rather than an arbitrary city.
const WORLD_CENTER: LatLngTuple = [20, 0];
const WORLD_ZOOM = 2;

/** Leaflet map of sites and guards, fed incrementally from the live store. */
export function LiveMap({
  store,
  alerts,
  selectedGuardId = null,
  onSelectGuard,
  replay = null,
  passive = false,
  sensors = null,
  focus = null,
}: LiveMapProps) {
  const { settings } = useRoster(store);
  return (
    <MapContainer
      className="wf-map"
      center={WORLD_CENTER}
      zoom={WORLD_ZOOM}
      minZoom={2}
      // Canvas for the remaining Leaflet paths (the guards have a canvas layer of their own).
      preferCanvas
      zoomControl={!passive}
      attributionControl
    >
      <ProbedTileLayer url={settings.tileUrl} attribution={settings.tileAttribution} />
      <SiteGeofences store={store} />
      {/* Guards and their trails: above the geofences (overlay pane, 400), below tooltips. */}
      {/* Sensors under the guards: a guard standing by a sensor stays clickable. */}
      <Pane name="sensors" style={{ zIndex: 440 }}>
        {sensors && <SensorMarkers fleet={sensors} />}
      </Pane>
      <Pane name="guards" style={{ zIndex: 450 }}>
        <GuardMarkers
          store={store}
          alerts={alerts}
          selectedGuardId={selectedGuardId}
          onSelect={onSelectGuard}
        />
      </Pane>
      <Pane name="replay" style={{ zIndex: 460 }}>
        {replay && <ReplayLayer replay={replay} />}
      </Pane>
      <AlertMarkers alerts={alerts} />
      <FitToSites store={store} keepFitted={passive} focus={focus} />
      <TrackContainerSize />
    </MapContainer>
  );
}
