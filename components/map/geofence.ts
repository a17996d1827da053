/** Conversions between the contract's GeoJSON (lon,lat) and Leaflet (lat,lng). */
import { latLngBounds, type LatLngBounds, type LatLngTuple } from 'leaflet';
import type { SiteDto } from '@/contract/guards';

/** GeoJSON Polygon rings (outer first, then holes) as Leaflet lat,lng rings. */
export function geofenceToLatLngs(geofence: SiteDto['geofence']): LatLngTuple[][] {
  return geofence.coordinates.map((ring) =>
    ring.filter((point) => point.length >= 2).map(([lon, lat]) => [lat, lon] as LatLngTuple),
  );
}

/** Bounds enclosing every site's outer ring, or null when there is nothing to enclose. */
export function sitesBounds(sites: readonly SiteDto[]): LatLngBounds | null {
  const points = sites.flatMap((site) => geofenceToLatLngs(site.geofence)[0] ?? []);
  return points.length > 0 ? latLngBounds(points) : null;
}
