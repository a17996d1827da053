/** Small planar geometry for patrol paths: fine at the scale of a site (a few hundred metres). */

export type LonLat = [number, number];

const METRES_PER_DEGREE_LAT = 111_320;

/** Ray-casting point-in-polygon test on a closed lon/lat ring. */
export function insideRing([x, y]: LonLat, ring: LonLat[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** A random point inside the ring (rejection sampling over its bounding box). */
export function randomPointInRing(ring: LonLat[], random: () => number): LonLat {
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [
    Math.min(...xs),
    Math.max(...xs),
    Math.min(...ys),
    Math.max(...ys),
  ];
  for (let tries = 0; tries < 1000; tries++) {
    const p: LonLat = [minX + random() * (maxX - minX), minY + random() * (maxY - minY)];
    if (insideRing(p, ring)) return p;
  }
  throw new Error('could not find a point inside the geofence');
}

/** Distance in metres between two nearby points (equirectangular). */
export function distanceM(a: LonLat, b: LonLat): number {
  const dy = (b[1] - a[1]) * METRES_PER_DEGREE_LAT;
  const dx =
    (b[0] - a[0]) * METRES_PER_DEGREE_LAT * Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180);
  return Math.hypot(dx, dy);
}

/** Bearing in degrees clockwise from north, from a to b. */
export function bearingDeg(a: LonLat, b: LonLat): number {
  const dy = b[1] - a[1];
  const dx = (b[0] - a[0]) * Math.cos((a[1] * Math.PI) / 180);
  return (Math.atan2(dx, dy) * 180) / Math.PI + (dx < 0 ? 360 : 0);
}

/** Moves a point by metres east/north. */
export function offsetM([lon, lat]: LonLat, eastM: number, northM: number): LonLat {
  return [
    lon + eastM / (METRES_PER_DEGREE_LAT * Math.cos((lat * Math.PI) / 180)),
    lat + northM / METRES_PER_DEGREE_LAT,
  ];
}
