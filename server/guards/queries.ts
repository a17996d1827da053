/** Read queries over guards. */
import type pg from 'pg';
import type { GuardDto } from '../../contract/guards';
import type { EpochMs } from '../../contract/time';
import { msOf } from '../db/epoch-ms';

interface GuardRow {
  id: string;
  name: string;
  site_id: string | null;
  lat: number | null;
  lon: number | null;
  last_fix_at: EpochMs | null;
  last_accuracy_m: number | null;
  last_speed_mps: number | null;
  last_heading_deg: number | null;
  /** Text in the database, written only from validated statuses. */
  duty_status: GuardDto['dutyStatus'];
  duty_status_at: EpochMs | null;
  battery: number | null;
  signal_dbm: number | null;
  signal_percent: number | null;
  device_seen_at: EpochMs | null;
}

/** Every guard with the latest position it reported and its device's latest telemetry. */
export async function listGuards(pool: pg.Pool): Promise<GuardDto[]> {
  // A guard may carry several devices: the one heard from most recently speaks for the guard.
  const { rows } = await pool.query<GuardRow>(
    `SELECT g.id, g.name, g.site_id,
            ST_Y(g.last_position::geometry) AS lat, ST_X(g.last_position::geometry) AS lon,
            ${msOf('g.last_fix_at')} AS last_fix_at, g.last_accuracy_m, g.last_speed_mps, g.last_heading_deg,
            g.duty_status, ${msOf('g.duty_status_at')} AS duty_status_at,
            d.battery, d.signal_dbm, d.signal_percent, ${msOf('d.last_seen_at')} AS device_seen_at
     FROM guards g
     LEFT JOIN LATERAL (
       SELECT battery, signal_dbm, signal_percent, last_seen_at FROM devices
       WHERE guard_id = g.id ORDER BY last_seen_at DESC NULLS LAST LIMIT 1
     ) d ON true
     ORDER BY g.name`,
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    siteId: row.site_id,
    position:
      row.lat === null || row.lon === null || row.last_fix_at === null
        ? null
        : {
            guardId: row.id,
            siteId: row.site_id,
            lat: row.lat,
            lon: row.lon,
            fixAt: row.last_fix_at,
            accuracyM: row.last_accuracy_m ?? 0,
            speedMps: row.last_speed_mps,
            headingDeg: row.last_heading_deg,
          },
    dutyStatus: row.duty_status,
    dutyStatusAt: row.duty_status_at,
    battery: row.battery,
    signalDbm: row.signal_dbm,
    signalPercent: row.signal_percent,
    lastSeenAt: latest(row.device_seen_at, row.last_fix_at),
  }));
}

function latest(a: EpochMs | null, b: EpochMs | null): EpochMs | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
