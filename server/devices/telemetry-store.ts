/**
 * Storage of device telemetry: every message once (unique key), the device's
 * latest state moved forward in report time, and one low-battery alert per
 * discharge.
 */
import type pg from 'pg';
import { insertAlerts, type NewAlert } from '../alerts/raise';
import { groupBy, newerThan, ownersOfInsertedKeys } from '../db/batch-results';
import { withDayPartitions } from '../db/partitions';
import { withTransaction } from '../db/transaction';
import { msOf, timestamptzOf } from '../db/epoch-ms';
import type { JobDataOf } from '../../contract/job-data';
import type { AlertDto } from '../../contract/alerts';
import type { DeviceStatusDto } from '../../contract/devices';
import type { EpochMs } from '../../contract/time';
import { foldLowBattery } from './low-battery';
import { registerDevices } from './registry';

/** One report to store: its job's data, times in epoch ms. */
export type Telemetry = JobDataOf<'process_device_telemetry'>;

export type StoredTelemetry =
  | { status: 'stored'; latest: DeviceStatusDto | null; alerts: AlertDto[] }
  | { status: 'duplicate'; latest: null; alerts: [] };

interface DeviceRow {
  id: string;
  guard_id: string | null;
  site_id: string | null;
  last_seen_at: EpochMs | null;
  low_battery: boolean;
}

const LOCK_DEVICES = `
  SELECT d.id, d.guard_id, COALESCE(d.site_id, g.site_id) AS site_id,
         ${msOf('d.last_seen_at')} AS last_seen_at, d.low_battery
  FROM devices d LEFT JOIN guards g ON g.id = d.guard_id
  WHERE d.id = ANY($1::text[]) ORDER BY d.id FOR NO KEY UPDATE OF d`;

const INSERT_TELEMETRY = `
  INSERT INTO device_telemetry
    (message_key, device_id, battery, signal_dbm, signal_percent, charging, firmware, reported_at,
     received_at)
  SELECT message_key, device_id, battery, signal_dbm, signal_percent, charging, firmware,
         ${timestamptzOf('reported_ms')}, ${timestamptzOf('received_ms')}
  FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[], $6::boolean[],
              $7::text[], $8::float8[], $9::float8[])
    AS t(message_key, device_id, battery, signal_dbm, signal_percent, charging, firmware,
         reported_ms, received_ms)
  ON CONFLICT (message_key, reported_at) DO NOTHING
  RETURNING message_key`;

const UPDATE_DEVICES = `
  UPDATE devices d
  SET battery = u.battery, signal_dbm = u.signal_dbm, signal_percent = u.signal_percent,
      charging = u.charging, firmware = COALESCE(u.firmware, d.firmware),
      last_seen_at = ${timestamptzOf('u.reported_ms')}, low_battery = u.low_battery, updated_at = now()
  FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::boolean[], $6::text[],
              $7::float8[], $8::boolean[])
    AS u(id, battery, signal_dbm, signal_percent, charging, firmware, reported_ms, low_battery)
  WHERE d.id = u.id`;

/** Stores a batch in one transaction; one result per message, in order. */
export async function storeTelemetry(
  pool: pg.Pool,
  batch: Telemetry[],
  lowBatteryPercent: number,
): Promise<StoredTelemetry[]> {
  // Registered (and committed) before the transaction's ordered row locks: see registerDevices.
  const ids = [...new Set(batch.map((t) => t.deviceId))];
  await registerDevices(pool, ids);
  const times = () => batch.map((t) => t.reportedAt);
  return withDayPartitions(pool, 'device_telemetry', times, () =>
    storeInTransaction(pool, batch, ids, lowBatteryPercent),
  );
}

function storeInTransaction(
  pool: pg.Pool,
  batch: Telemetry[],
  ids: string[],
  lowBatteryPercent: number,
): Promise<StoredTelemetry[]> {
  return withTransaction(pool, async (client) => {
    const { rows: devices } = await client.query<DeviceRow>(LOCK_DEVICES, [ids]);
    const { rows: inserted } = await client.query<{ message_key: string }>(INSERT_TELEMETRY, [
      batch.map((t) => t.messageKey),
      batch.map((t) => t.deviceId),
      batch.map((t) => t.battery),
      batch.map((t) => t.signalDbm),
      batch.map((t) => t.signalPercent),
      batch.map((t) => t.charging),
      batch.map((t) => t.firmware),
      batch.map((t) => t.reportedAt),
      batch.map((t) => t.receivedAt),
    ]);
    const owners = ownersOfInsertedKeys(batch, new Set(inserted.map((r) => r.message_key)));

    const latestByKey = new Map<string, DeviceStatusDto>();
    const alerts: NewAlert[] = [];
    const updates: { t: Telemetry; low: boolean }[] = [];
    const byDevice = groupBy(owners.values(), (t) => t.deviceId);
    for (const device of devices) {
      const newer = newerThan(
        byDevice.get(device.id) ?? [],
        (t) => t.reportedAt,
        device.last_seen_at,
      );
      if (newer.length === 0) continue;
      const newest = newer[newer.length - 1]!;
      const { low, raisedBy } = foldLowBattery(device.low_battery, newer, lowBatteryPercent);
      updates.push({ t: newest, low });
      latestByKey.set(newest.messageKey, {
        deviceId: device.id,
        guardId: device.guard_id,
        siteId: device.site_id,
        battery: newest.battery,
        signalDbm: newest.signalDbm,
        signalPercent: newest.signalPercent,
        charging: newest.charging,
        lastSeenAt: newest.reportedAt,
      });
      for (const t of raisedBy) {
        alerts.push({
          type: 'low_battery',
          message: `Battery at ${t.battery}%`,
          siteId: device.site_id,
          guardId: device.guard_id,
          deviceId: device.id,
          sensorId: null,
          location: null,
          raisedAt: new Date(t.reportedAt),
          messageKey: `low_battery:${t.messageKey}`,
        });
      }
    }
    if (updates.length > 0) {
      await client.query(UPDATE_DEVICES, [
        updates.map((u) => u.t.deviceId),
        updates.map((u) => u.t.battery),
        updates.map((u) => u.t.signalDbm),
        updates.map((u) => u.t.signalPercent),
        updates.map((u) => u.t.charging),
        updates.map((u) => u.t.firmware),
        updates.map((u) => u.t.reportedAt),
        updates.map((u) => u.low),
      ]);
    }
    const raised = await insertAlerts(client, alerts);

    return batch.map((t): StoredTelemetry => {
      if (owners.get(t.messageKey) !== t) return { status: 'duplicate', latest: null, alerts: [] };
      const alert = raised.get(`low_battery:${t.messageKey}`);
      return {
        status: 'stored',
        latest: latestByKey.get(t.messageKey) ?? null,
        alerts: alert ? [alert] : [],
      };
    });
  });
}
