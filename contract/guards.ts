/** Guards and sites: duty statuses, positions, paths, as screens receive them. */
import type { EpochMs } from './time';

/** What a guard's app reports (guard/<id>/status). */
export const GUARD_DUTY_STATUSES = ['on_duty', 'patrolling', 'break', 'off_duty'] as const;
export type DutyStatus = (typeof GUARD_DUTY_STATUSES)[number];

/**
 * A guard's position: the one shape of a fix from the worker that stored it, through the
 * coalescer and the guard:positions event, to the map, the guard card and the fleet store.
 */
export interface GuardPositionDto {
  guardId: string;
  siteId: string | null;
  lat: number;
  lon: number;
  /** The fix's time on the device. */
  fixAt: EpochMs;
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
  /**
   * When the app reported that status: a status event reporting an older time
   * never replaces it (events reach a screen through several web nodes, and
   * one taken over from a dead node arrives late). null with no status.
   */
  dutyStatusAt: EpochMs | null;
  /** From the guard's device telemetry (percent, dBm); null when unknown. */
  battery: number | null;
  signalDbm: number | null;
  /** The signal when the device reports it as a percentage rather than dBm. */
  signalPercent: number | null;
  /** The last message of any kind from the guard's device (or its last fix). */
  lastSeenAt: EpochMs | null;
}

/** A guard's duty status as the guard's app reported it. */
export interface GuardStatusDto {
  guardId: string;
  siteId: string | null;
  dutyStatus: DutyStatus;
  /** When the guard's app reported it. */
  at: EpochMs;
}

/** One guard's stored path for history replay. */
export interface GuardPathDto {
  guardId: string;
  name: string;
  /** Oldest first: [time, lat, lon]. */
  points: [EpochMs, number, number][];
}

export interface SiteDto {
  id: string;
  name: string;
  /** GeoJSON Polygon in lon,lat order. */
  geofence: { type: 'Polygon'; coordinates: number[][][] };
}
