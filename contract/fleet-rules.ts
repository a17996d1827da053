/**
 * The fleet's rules that the server (filters, sorting, counts) and screens
 * (live re-judging as time passes) must apply identically: a device's state,
 * low battery, and the two sort orders. Pure functions, no server clients:
 * screens import this file.
 */
import type { DeviceSeenDto, DeviceState } from './devices';
import type { EpochMs } from './time';

export interface DeviceTimes {
  lastSeenAt: EpochMs | null;
}

export interface StateThresholds {
  staleAfterMs: number;
  offlineAfterMs: number;
}

export const DEVICE_STATE_LABELS: Record<DeviceState, string> = {
  online: 'Online',
  stale: 'Stale',
  offline: 'Offline',
};

/**
 * The guards' rule, for a device that has no fix: nothing for offlineAfterMs is
 * offline, nothing for staleAfterMs is stale. Never heard from: offline.
 */
export function deviceState(
  device: DeviceTimes,
  serverNowMs: number,
  thresholds: StateThresholds,
): DeviceState {
  if (device.lastSeenAt === null) return 'offline';
  const silentMs = serverNowMs - device.lastSeenAt;
  if (silentMs > thresholds.offlineAfterMs) return 'offline';
  if (silentMs > thresholds.staleAfterMs) return 'stale';
  return 'online';
}

export type DeviceSeenSource = keyof DeviceSeenDto;

export const DEVICE_SEEN_LABELS: Record<DeviceSeenSource, string> = {
  telemetryAt: 'its telemetry',
  fixAt: "its guard's GPS fix",
  healthAt: 'its health report',
};

/**
 * Where a device was last heard from: the newest of its sources (ties go to the first
 * named), null when none ever spoke. The server's SQL (server/devices/device-seen.ts)
 * takes the same GREATEST.
 */
export function deviceSeenSource(seen: DeviceSeenDto): DeviceSeenSource | null {
  let newest: DeviceSeenSource | null = null;
  let newestMs = -Infinity;
  for (const source of Object.keys(DEVICE_SEEN_LABELS) as DeviceSeenSource[]) {
    const at = seen[source];
    if (at !== null && at > newestMs) {
      newest = source;
      newestMs = at;
    }
  }
  return newest;
}

/** A device's last seen: the newest of its telemetry, its guard's GPS fix, its health report. */
export function deviceLastSeen(seen: DeviceSeenDto): EpochMs | null {
  const source = deviceSeenSource(seen);
  return source === null ? null : seen[source];
}

/** Low: a known battery at or below the threshold (the low-battery alert's own rule). */
export function isLowBattery(battery: number | null, lowBatteryPercent: number): boolean {
  return battery !== null && battery <= lowBatteryPercent;
}

export const DEVICE_SORTS = ['battery', 'silent', 'id'] as const;
export type DeviceSort = (typeof DEVICE_SORTS)[number];

export const DEVICE_SORT_LABELS: Record<DeviceSort, string> = {
  battery: 'Lowest battery first',
  silent: 'Longest silent first',
  id: 'Device id',
};

interface Sortable extends DeviceTimes {
  id: string;
  battery: number | null;
}

const byId = (a: Sortable, b: Sortable) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
// Never heard from is the longest silence of all.
const seenMs = (d: Sortable) => d.lastSeenAt ?? -Infinity;

/** The comparator of a sort order; ties fall back to the id, so the order is stable. */
export function compareDevices(sort: DeviceSort): (a: Sortable, b: Sortable) => number {
  switch (sort) {
    case 'battery':
      // Unknown batteries last: they are not the ones about to die that we know of.
      return (a, b) =>
        (a.battery ?? Infinity) - (b.battery ?? Infinity) || seenMs(a) - seenMs(b) || byId(a, b);
    case 'silent':
      return (a, b) => seenMs(a) - seenMs(b) || byId(a, b);
    case 'id':
      return byId;
  }
}

/** A sparkline point stands for this long: the highest value of its minute. */
export const SPARK_BUCKET_MS = 60_000;
/** The sparkline shows this much history. */
export const SPARK_WINDOW_MS = 60 * 60 * 1000;

/**
 * Adds a live reading to a sparkline ([bucket start ms, highest value]), keeping the
 * highest value per minute (a spike past a threshold must not be averaged away)
 * and dropping minutes older than the window. Returns a new array.
 */
export function addSparkPoint(
  spark: readonly [number, number][],
  readAtMs: number,
  value: number,
  serverNowMs: number,
): [number, number][] {
  const bucket = Math.floor(readAtMs / SPARK_BUCKET_MS) * SPARK_BUCKET_MS;
  const from = serverNowMs - SPARK_WINDOW_MS;
  const next = spark.filter(([t]) => t >= from - SPARK_BUCKET_MS);
  if (bucket < from - SPARK_BUCKET_MS) return next;
  const at = next.findIndex(([t]) => t >= bucket);
  if (at === -1) next.push([bucket, value]);
  else if (next[at]![0] === bucket) next[at] = [bucket, Math.max(next[at]![1], value)];
  else next.splice(at, 0, [bucket, value]);
  return next;
}
