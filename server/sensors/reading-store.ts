/**
 * Storage of sensor readings: every reading once (unique key), the sensor's
 * latest value moved forward in time, and a critical alert when a reading
 * crosses its kind's threshold (once per excursion).
 */
import type pg from 'pg';
import { insertAlerts, type NewAlert } from '../alerts/raise';
import { groupBy, newerThan, ownersOfInsertedKeys } from '../db/batch-results';
import { withDayPartitions } from '../db/partitions';
import { withTransaction } from '../db/transaction';
import { msOf, timestamptzOf } from '../db/epoch-ms';
import type { JobDataOf } from '../../contract/job-data';
import type { AlertDto } from '../../contract/alerts';
import type { SensorReadingDto } from '../../contract/sensors';
import type { EpochMs } from '../../contract/time';
import { SENSOR_THRESHOLDS, foldSensorAlarm } from './thresholds';

/** One reading to store: its job's data, times in epoch ms. */
export type SensorReading = JobDataOf<'process_sensor_data'>;

/** `latest`: set on the reading that became its sensor's latest (screens get it live). */
export type StoredReading =
  | { status: 'stored'; latest: SensorReadingDto | null; alerts: AlertDto[] }
  | { status: 'duplicate'; latest: null; alerts: [] };

interface SensorRow {
  id: string;
  site_id: string | null;
  last_read_at: EpochMs | null;
  in_alarm: boolean;
}

// Sensors never seen before are registered as unassigned (no site), with the kind they report.
const REGISTER_SENSORS = `
  INSERT INTO sensors (id, kind, updated_at)
  SELECT DISTINCT ON (id) id, kind, now() FROM unnest($1::text[], $2::text[]) AS t(id, kind)
  ORDER BY id
  ON CONFLICT (id) DO NOTHING`;

const LOCK_SENSORS = `
  SELECT id, site_id, ${msOf('last_read_at')} AS last_read_at, in_alarm FROM sensors
  WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE`;

const INSERT_READINGS = `
  INSERT INTO sensor_readings (message_key, sensor_id, kind, value, unit, read_at, received_at)
  SELECT message_key, sensor_id, kind, value, unit,
         ${timestamptzOf('read_ms')}, ${timestamptzOf('received_ms')}
  FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::text[],
              $6::float8[], $7::float8[])
    AS t(message_key, sensor_id, kind, value, unit, read_ms, received_ms)
  ON CONFLICT (message_key, read_at) DO NOTHING
  RETURNING message_key`;

const UPDATE_SENSORS = `
  UPDATE sensors s
  SET last_value = u.value, last_read_at = ${timestamptzOf('u.read_ms')}, in_alarm = u.in_alarm,
      updated_at = now()
  FROM unnest($1::text[], $2::float8[], $3::float8[], $4::boolean[]) AS u(id, value, read_ms, in_alarm)
  WHERE s.id = u.id`;

/** Stores a batch in one transaction; one result per reading, in order. */
export async function storeSensorReadings(
  pool: pg.Pool,
  batch: SensorReading[],
): Promise<StoredReading[]> {
  // Committed before the transaction's ordered row locks (see server/devices/registry.ts).
  await pool.query(REGISTER_SENSORS, [batch.map((r) => r.sensorId), batch.map((r) => r.kind)]);
  const times = () => batch.map((r) => r.readAt);
  return withDayPartitions(pool, 'sensor_readings', times, () => storeInTransaction(pool, batch));
}

function storeInTransaction(pool: pg.Pool, batch: SensorReading[]): Promise<StoredReading[]> {
  return withTransaction(pool, async (client) => {
    const ids = [...new Set(batch.map((r) => r.sensorId))];
    const { rows: sensors } = await client.query<SensorRow>(LOCK_SENSORS, [ids]);
    const { rows: inserted } = await client.query<{ message_key: string }>(INSERT_READINGS, [
      batch.map((r) => r.messageKey),
      batch.map((r) => r.sensorId),
      batch.map((r) => r.kind),
      batch.map((r) => r.value),
      batch.map((r) => r.unit),
      batch.map((r) => r.readAt),
      batch.map((r) => r.receivedAt),
    ]);
    const owners = ownersOfInsertedKeys(batch, new Set(inserted.map((r) => r.message_key)));

    const alerts: NewAlert[] = [];
    const latestByKey = new Map<string, SensorReadingDto>();
    const updates: { r: SensorReading; inAlarm: boolean }[] = [];
    const bySensor = groupBy(owners.values(), (r) => r.sensorId);
    for (const sensor of sensors) {
      const newer = newerThan(bySensor.get(sensor.id) ?? [], (r) => r.readAt, sensor.last_read_at);
      if (newer.length === 0) continue;
      const { inAlarm, raisedBy } = foldSensorAlarm(sensor.in_alarm, newer);
      const newest = newer[newer.length - 1]!;
      updates.push({ r: newest, inAlarm });
      latestByKey.set(newest.messageKey, {
        sensorId: sensor.id,
        siteId: sensor.site_id,
        value: newest.value,
        unit: newest.unit,
        readAt: newest.readAt,
        inAlarm,
      });
      for (const r of raisedBy) {
        alerts.push({
          type: 'sensor_threshold',
          message:
            SENSOR_THRESHOLDS[r.kind]?.describe(r.value, r.unit) ?? `${r.kind} at ${r.value}`,
          siteId: sensor.site_id,
          guardId: null,
          deviceId: null,
          sensorId: sensor.id,
          location: null,
          raisedAt: new Date(r.readAt),
          messageKey: `sensor_threshold:${r.messageKey}`,
        });
      }
    }
    if (updates.length > 0) {
      await client.query(UPDATE_SENSORS, [
        updates.map((u) => u.r.sensorId),
        updates.map((u) => u.r.value),
        updates.map((u) => u.r.readAt),
        updates.map((u) => u.inAlarm),
      ]);
    }
    const raised = await insertAlerts(client, alerts);

    return batch.map((r): StoredReading => {
      if (owners.get(r.messageKey) !== r) return { status: 'duplicate', latest: null, alerts: [] };
      const alert = raised.get(`sensor_threshold:${r.messageKey}`);
      return {
        status: 'stored',
        latest: latestByKey.get(r.messageKey) ?? null,
        alerts: alert ? [alert] : [],
      };
    });
  });
}
