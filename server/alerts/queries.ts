/** Reading alerts as screens show them. */
import type pg from 'pg';
import type { AlertDto } from '../../contract/alerts';

/** Columns and joins that produce an AlertDto row (plus any extra columns); shared by every alert query. */
export const alertSelect = (extraColumns = '') => `
  SELECT ${extraColumns} a.id, a.type, a.severity, a.status, a.message, a.site_id, a.guard_id, a.device_id, a.sensor_id,
         ST_Y(a.location::geometry) AS lat, ST_X(a.location::geometry) AS lon,
         a.raised_at, a.received_at, a.acknowledged_at, a.resolved_at, a.resolution, a.escalated_at,
         a.acknowledged_by, ack.name AS acknowledged_by_name,
         a.resolved_by, res.name AS resolved_by_name
  FROM alerts a
  LEFT JOIN users ack ON ack.id = a.acknowledged_by
  LEFT JOIN users res ON res.id = a.resolved_by`;

/** The AlertDto columns and joins, with nothing extra. */
export const ALERT_SELECT = alertSelect();

export interface AlertRow {
  id: string;
  /** Text in the database, written only from validated types. */
  type: AlertDto['type'];
  severity: AlertDto['severity'];
  status: AlertDto['status'];
  message: string | null;
  site_id: string | null;
  guard_id: string | null;
  device_id: string | null;
  sensor_id: string | null;
  lat: number | null;
  lon: number | null;
  raised_at: Date;
  received_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  acknowledged_by_name: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolved_by_name: string | null;
  resolution: string | null;
  escalated_at: Date | null;
}

/** Maps a row of ALERT_SELECT to the DTO. */
export function toAlertDto(row: AlertRow): AlertDto {
  const person = (id: string | null, name: string | null) =>
    id ? { id, name: name ?? 'unknown' } : null;
  return {
    id: row.id,
    type: row.type,
    severity: row.severity,
    status: row.status,
    message: row.message,
    siteId: row.site_id,
    guardId: row.guard_id,
    deviceId: row.device_id,
    sensorId: row.sensor_id,
    location: row.lat === null || row.lon === null ? null : { lat: row.lat, lon: row.lon },
    raisedAt: row.raised_at.getTime(),
    receivedAt: row.received_at.getTime(),
    acknowledgedAt: row.acknowledged_at?.getTime() ?? null,
    acknowledgedBy: person(row.acknowledged_by, row.acknowledged_by_name),
    resolvedAt: row.resolved_at?.getTime() ?? null,
    resolvedBy: person(row.resolved_by, row.resolved_by_name),
    resolution: row.resolution,
    escalatedAt: row.escalated_at?.getTime() ?? null,
  };
}

/**
 * Open and acknowledged alerts a screen's snapshot carries at most. A bad night
 * leaves thousands open and the feed renders only the cards in view, so the
 * bound is about the snapshot's size (about 2-3 MB at the bound), not the page.
 */
export const OPEN_ALERTS_SNAPSHOT_LIMIT = 5_000;

/** Alerts not yet resolved, newest first, at most `limit`. */
export async function listOpenAlerts(
  pool: pg.Pool,
  limit = OPEN_ALERTS_SNAPSHOT_LIMIT,
): Promise<AlertDto[]> {
  const { rows } = await pool.query<AlertRow>(
    `${ALERT_SELECT} WHERE a.status <> 'resolved' ORDER BY a.raised_at DESC LIMIT $1`,
    [limit],
  );
  return rows.map(toAlertDto);
}

/** One alert by id, or null. */
export async function getAlert(pool: Pick<pg.Pool, 'query'>, id: string): Promise<AlertDto | null> {
  const { rows } = await pool.query<AlertRow>(`${ALERT_SELECT} WHERE a.id = $1`, [id]);
  return rows[0] ? toAlertDto(rows[0]) : null;
}
