/** Devices: telemetry, state and the devices list. */
import type { EpochMs } from './time';

/** A device's latest telemetry. */
export interface DeviceStatusDto {
  deviceId: string;
  guardId: string | null;
  siteId: string | null;
  battery: number;
  signalDbm: number | null;
  /** The signal when the device reports it as a percentage rather than dBm. */
  signalPercent: number | null;
  charging: boolean | null;
  /** The telemetry's time on the device. */
  lastSeenAt: EpochMs;
}

/** Online, stale, offline: the guards' rules applied to a device's last message (fleet-rules.ts). */
export const DEVICE_STATES = ['online', 'stale', 'offline'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

/**
 * The sources of a device's last seen, null when never: its own telemetry, a GPS fix of the
 * guard it is linked to (devices.guard_id), a health report of the field component with its id.
 */
export interface DeviceSeenDto {
  telemetryAt: EpochMs | null;
  fixAt: EpochMs | null;
  healthAt: EpochMs | null;
}

/** A device as the devices tab and the admin page list it (GET /api/devices). */
export interface DeviceDto {
  id: string;
  /** The guard carrying it, or null for a device installed at a place (its site). */
  guard: { id: string; name: string } | null;
  /** Its own site, else its guard's. */
  siteId: string | null;
  battery: number | null;
  /** Battery of its oldest report in the last 24 h: the trend's baseline; null with none. */
  batteryDayAgo: number | null;
  signalDbm: number | null;
  /** The signal when the device reports it as a percentage rather than dBm. */
  signalPercent: number | null;
  charging: boolean | null;
  firmware: string | null;
  /** The newest of `seen`'s times (fleet-rules.ts deviceLastSeen); null: never heard from. */
  lastSeenAt: EpochMs | null;
  /** When each source last heard of the device; screens move these forward live. */
  seen: DeviceSeenDto;
}

/** GET /api/devices: the list plus what screens need to judge it the way the server did. */
export interface DeviceListDto {
  devices: DeviceDto[];
  /** Devices that matched before the limit cut the list. */
  total: number;
  /** At or below this, a battery is low (LOW_BATTERY_PERCENT). */
  lowBatteryPercent: number;
  staleAfterMs: number;
  offlineAfterMs: number;
  serverTime: EpochMs;
}
