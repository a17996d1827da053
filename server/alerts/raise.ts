/**
 * Inserting alerts, idempotently: each alert carries the key of the message
 * (or rule firing) that raised it, so a redelivered message raises nothing new.
 */
import type pg from 'pg';
import { ALERT_SEVERITY, type AlertDto, type AlertType } from '../../contract/alerts';
import { startEscalations } from '../escalation/escalation-store';
import { ALERT_SELECT, toAlertDto, type AlertRow } from './queries';

export interface NewAlert {
  type: AlertType;
  message: string | null;
  siteId: string | null;
  guardId: string | null;
  deviceId: string | null;
  sensorId: string | null;
  location: { lat: number; lon: number } | null;
  raisedAt: Date;
  /**
   * When Watchfloor received the message that raised it (the ingest's time), when
   * known; else the insert's. Escalation counts from it: an SOS queued while no
   * worker ran escalates on its own clock once one does, late steps saying so.
   */
  receivedAt?: Date;
  messageKey: string;
}

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Inserts the alerts in one statement and starts their escalations; returns
 * the new ones as DTOs, keyed by their message key.
 */
export async function insertAlerts(
  db: Queryable,
  alerts: NewAlert[],
): Promise<Map<string, AlertDto>> {
  const raised = new Map<string, AlertDto>();
  if (alerts.length === 0) return raised;
  const { rows: inserted } = await db.query<{ id: string; message_key: string }>(
    `INSERT INTO alerts (id, type, severity, message, site_id, guard_id, device_id, sensor_id,
                         location, raised_at, received_at, message_key)
     SELECT gen_random_uuid(), t.type, t.severity::"AlertSeverity", t.message, t.site_id, t.guard_id,
            t.device_id, t.sensor_id,
            CASE WHEN t.lat IS NULL THEN NULL
                 ELSE ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326)::geography END,
            t.raised_at, LEAST(COALESCE(t.received_at, now()), now()), t.message_key
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                 $8::float8[], $9::float8[], $10::timestamptz[], $11::text[], $12::timestamptz[])
       AS t(type, severity, message, site_id, guard_id, device_id, sensor_id, lat, lon, raised_at,
            message_key, received_at)
     ON CONFLICT (message_key) DO NOTHING
     RETURNING id, message_key`,
    [
      alerts.map((a) => a.type),
      alerts.map((a) => ALERT_SEVERITY[a.type]),
      alerts.map((a) => a.message),
      alerts.map((a) => a.siteId),
      alerts.map((a) => a.guardId),
      alerts.map((a) => a.deviceId),
      alerts.map((a) => a.sensorId),
      alerts.map((a) => a.location?.lat ?? null),
      alerts.map((a) => a.location?.lon ?? null),
      alerts.map((a) => a.raisedAt),
      alerts.map((a) => a.messageKey),
      alerts.map((a) => a.receivedAt ?? null),
    ],
  );
  if (inserted.length === 0) return raised;
  // In the same transaction: an alert never exists without its escalation (when a policy applies).
  await startEscalations(
    db,
    inserted.map((r) => r.id),
  );
  const { rows } = await db.query<AlertRow>(`${ALERT_SELECT} WHERE a.id = ANY($1::uuid[])`, [
    inserted.map((r) => r.id),
  ]);
  const keyById = new Map(inserted.map((r) => [r.id, r.message_key]));
  for (const row of rows) raised.set(keyById.get(row.id)!, toAlertDto(row));
  return raised;
}
