/** Length of a path of [t, lat, lon] points in metres (haversine; plenty for a site). */
const EARTH_RADIUS_M = 6_371_000;

export function pathLengthM(points: readonly (readonly [number, number, number])[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i += 1) {
    const [, lat1, lon1] = points[i - 1]!;
    const [, lat2, lon2] = points[i]!;
    const dLat = ((lat2 - lat1) * Math.PI) / 180;
    const dLon = ((lon2 - lon1) * Math.PI) / 180;
    const a =
      Math.sin(dLat / 2) ** 2 +
      Math.cos((lat1 * Math.PI) / 180) * Math.cos((lat2 * Math.PI) / 180) * Math.sin(dLon / 2) ** 2;
    total += 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(a));
  }
  return total;
}
