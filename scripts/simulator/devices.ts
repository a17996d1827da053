/**
 * Which devices the simulator plays, by id: one phone per guard (its id is the
 * guard's), four facility sensors and one gateway per site, and a faulty
 * device. One place, so the local broker's password file provisions exactly
 * the devices the demo's simulator connects as.
 */

/** The misbehaving device that sends garbage the ingest must refuse. */
export const FAULTY_DEVICE_ID = 'sim-faulty-1';

export const SENSORS_PER_SITE = 4;

const shortSiteId = (siteId: string) => siteId.replace(/^site-/, '');

/** The facility sensors of a site, in a stable order. */
export function siteSensorIds(siteId: string): string[] {
  return Array.from(
    { length: SENSORS_PER_SITE },
    (_, n) => `sensor-${shortSiteId(siteId)}-${n + 1}`,
  );
}

/** The site's gateway, which reports its own health. */
export function siteGatewayId(siteId: string): string {
  return `gateway-${shortSiteId(siteId)}`;
}

/** Every device id the realistic mix connects as, for these sites and guards. */
export function simulatedDeviceIds(
  siteIds: readonly string[],
  guardIds: readonly string[],
): string[] {
  return [
    ...guardIds,
    ...siteIds.flatMap((id) => [...siteSensorIds(id), siteGatewayId(id)]),
    FAULTY_DEVICE_ID,
  ];
}
