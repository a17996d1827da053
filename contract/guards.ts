/** Guards and sites: duty statuses, positions, paths, as screens receive them. */

/** What a guard's app reports (guard/<id>/status). */
export const GUARD_DUTY_STATUSES = ['on_duty', 'patrolling', 'break', 'off_duty'] as const;
export type DutyStatus = (typeof GUARD_DUTY_STATUSES)[number];

/** A guard's latest position as the map shows it. */
export interface GuardPositionDto {
  guardId: string;
  siteId: string | null;
  lat: number;
  lon: number;
  /** ISO 8601 time of the fix on the device. */
  fixAt: string;
  accuracyM: number;
  speedMps: number | null;
  headingDeg: number | null;
}

export interface GuardDto {
  id: string;
  name: string;
  siteId: string | null;
  position: GuardPositionDto | null;
  /** null when the guard's app never said. */
  dutyStatus: DutyStatus | null;
  /** From the guard's device telemetry (percent, dBm); null when unknown. */
  battery: number | null;
  signalDbm: number | null;
  /** The signal when the device reports it as a percentage rather than dBm. */
  signalPercent: number | null;
  /** ISO 8601: the last message of any kind from the guard's device (or its last fix). */
  lastSeenAt: string | null;
}

/** A guard's duty status as the guard's app reported it. */
export interface GuardStatusDto {
  guardId: string;
  siteId: string | null;
  dutyStatus: DutyStatus;
  at: string;
}

/** One guard's stored path for history replay. */
export interface GuardPathDto {
  guardId: string;
  name: string;
  /** Oldest first: [epoch ms, lat, lon]. */
  points: [number, number, number][];
}

export interface SiteDto {
  id: string;
  name: string;
  /** GeoJSON Polygon in lon,lat order. */
  geofence: { type: 'Polygon'; coordinates: number[][][] };
}
