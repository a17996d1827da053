/**
 * The devices tab's and admin page's list: every device the caller may see
 * with its guard, latest telemetry, the battery it had a day ago and when each
 * source last heard of it (./device-seen.ts), judged and sorted by the shared
 * fleet rules (contract/fleet-rules.ts) so the screens' live re-judging
 * agrees with what the server filtered.
 */
import type pg from 'pg';
import type { DeviceDto, DeviceState } from '../../contract/devices';
import {
  compareDevices,
  deviceLastSeen,
  deviceState,
  isLowBattery,
  type DeviceSort,
  type StateThresholds,
} from '../../contract/fleet-rules';
import { DEVICE_SEEN_COLUMNS, DEVICE_SEEN_JOINS } from './device-seen';

/** The window of the battery trend. */
export const BATTERY_TREND_MS = 24 * 60 * 60 * 1000;

export interface DeviceQuery {
  /** The caller's sites ('all' for admins); devices of no site are visible to 'all' only. */
  visibleSiteIds: string[] | 'all';
  siteIds?: string[];
  states?: DeviceState[];
  lowBatteryOnly?: boolean;
  /** Part of the device id or the guard's name, case-insensitive. */
  text?: string;
  sort: DeviceSort;
  limit: number;
  thresholds: StateThresholds;
  lowBatteryPercent: number;
  now: Date;
}

interface DeviceRow {
  id: string;
  guard_id: string | null;
  guard_name: string | null;
  site_id: string | null;
  battery: number | null;
  battery_day_ago: number | null;
  signal_dbm: number | null;
  signal_percent: number | null;
  charging: boolean | null;
  firmware: string | null;
  telemetry_at: number | null;
  fix_at: number | null;
  health_at: number | null;
}

// The baseline is one index probe per device ((device_id, reported_at)), not a scan of the day.
const SELECT_DEVICES = `
  SELECT d.id, d.guard_id, g.name AS guard_name, COALESCE(d.site_id, g.site_id) AS site_id,
         d.battery, day.battery AS battery_day_ago, d.signal_dbm, d.signal_percent, d.charging,
         d.firmware, ${DEVICE_SEEN_COLUMNS}
  FROM devices d ${DEVICE_SEEN_JOINS}
  LEFT JOIN LATERAL (
    SELECT t.battery FROM device_telemetry t
    WHERE t.device_id = d.id AND t.reported_at >= $1 AND t.reported_at <= $2
    ORDER BY t.reported_at LIMIT 1
  ) day ON true
  WHERE ($3::text[] IS NULL OR COALESCE(d.site_id, g.site_id) = ANY($3))
    AND ($4::text[] IS NULL OR COALESCE(d.site_id, g.site_id) = ANY($4))
    AND ($5::text IS NULL OR strpos(lower(d.id), $5) > 0 OR strpos(lower(g.name), $5) > 0)`;

/** The matching devices, sorted, cut at the limit; `total` counts them before the cut. */
export async function listDevices(
  pool: pg.Pool,
  query: DeviceQuery,
): Promise<{ devices: DeviceDto[]; total: number }> {
  const { rows } = await pool.query<DeviceRow>(SELECT_DEVICES, [
    new Date(query.now.getTime() - BATTERY_TREND_MS),
    query.now,
    query.visibleSiteIds === 'all' ? null : query.visibleSiteIds,
    query.siteIds?.length ? query.siteIds : null,
    query.text ? query.text.toLowerCase() : null,
  ]);
  const nowMs = query.now.getTime();
  const matching = rows.map(toDto).filter((device) => {
    if (query.lowBatteryOnly && !isLowBattery(device.battery, query.lowBatteryPercent)) {
      return false;
    }
    return (
      !query.states?.length || query.states.includes(deviceState(device, nowMs, query.thresholds))
    );
  });
  matching.sort(compareDevices(query.sort));
  return { devices: matching.slice(0, query.limit), total: matching.length };
}

function toDto(row: DeviceRow): DeviceDto {
  const seen = { telemetryAt: row.telemetry_at, fixAt: row.fix_at, healthAt: row.health_at };
  return {
    id: row.id,
    guard: row.guard_id ? { id: row.guard_id, name: row.guard_name ?? row.guard_id } : null,
    siteId: row.site_id,
    battery: row.battery,
    batteryDayAgo: row.battery_day_ago,
    signalDbm: row.signal_dbm,
    signalPercent: row.signal_percent,
    charging: row.charging,
    firmware: row.firmware,
    lastSeenAt: deviceLastSeen(seen),
    seen,
  };
}
