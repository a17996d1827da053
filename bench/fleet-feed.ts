/**
 * The browser bench's fleet scenario: `devices` devices and `sensors` sensors
 * registered at the bench database's sites (sensors placed around each site,
 * so the map's sensor layer draws them all), then their statuses and readings
 * published on the sealed event channel as workers publish them, each device
 * every DEVICE_EVERY_S and each sensor every SENSOR_EVERY_S. The web node
 * coalesces them into devices:status and sensors:reading batches.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { createLogger } from '../server/logger';
import { createEventPublisher } from '../server/realtime/event-channel';
import { CHANNEL_EVENTS } from '../server/realtime/channel-events';
import type { DeviceStatusDto } from '../contract/devices';
import type { SensorReadingDto } from '../contract/sensors';
import { createChannelCodec } from '../server/security/channel-codec';

export interface FleetFeedOptions {
  databaseUrl: string;
  redisUrl: string;
  channel: string;
  encryptionKey: string;
  devices: number;
  sensors: number;
}

const DEVICE_EVERY_S = 30;
const SENSOR_EVERY_S = 10;
const TICKS_PER_S = 10;
const PREFIX = 'bench-fleet';
const KINDS = ['temperature', 'humidity', 'co2', 'smoke', 'door', 'water_leak'];

/** Registers the devices and sensors (replacing an earlier run's). */
export async function seedFleet(options: FleetFeedOptions): Promise<void> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 1 });
  try {
    await pool.query(`DELETE FROM devices WHERE id LIKE $1`, [`${PREFIX}-%`]);
    await pool.query(`DELETE FROM sensors WHERE id LIKE $1`, [`${PREFIX}-%`]);
    await pool.query(
      `INSERT INTO devices (id, site_id, battery, signal_dbm, charging, firmware, last_seen_at, updated_at)
       SELECT $1 || '-d' || n, s.id, 5 + (n * 37) % 95, -60 - (n % 50), n % 7 = 0, 'wf-2.4.1',
              now() - (n % 400) * interval '1 second', now()
       FROM generate_series(1, $2::int) AS n
       CROSS JOIN LATERAL (SELECT id FROM sites ORDER BY id OFFSET n % (SELECT count(*) FROM sites) LIMIT 1) s`,
      [PREFIX, options.devices],
    );
    await pool.query(
      `INSERT INTO sensors (id, kind, site_id, location, last_value, last_read_at, updated_at)
       SELECT $1 || '-s' || n, ($3::text[])[1 + n % 6], s.id,
              ST_Translate(ST_Centroid(s.geofence), ((n * 7919) % 400 - 200) / 10000.0,
                           ((n * 104729) % 400 - 200) / 10000.0)::geography,
              20, now(), now()
       FROM generate_series(1, $2::int) AS n
       CROSS JOIN LATERAL (SELECT id, geofence FROM sites ORDER BY id OFFSET n % (SELECT count(*) FROM sites) LIMIT 1) s`,
      [PREFIX, options.sensors, KINDS],
    );
  } finally {
    await pool.end();
  }
}

/** Starts publishing; resolves to a handle that counts what was sent and stops. */
export async function startFleetFeed(options: FleetFeedOptions) {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 1 });
  const [{ rows: devices }, { rows: sensors }] = await Promise.all([
    pool.query<{ id: string; site_id: string | null; battery: number }>(
      `SELECT id, site_id, battery FROM devices WHERE id LIKE $1 ORDER BY id`,
      [`${PREFIX}-%`],
    ),
    pool.query<{ id: string; site_id: string | null; kind: string }>(
      `SELECT id, site_id, kind FROM sensors WHERE id LIKE $1 ORDER BY id`,
      [`${PREFIX}-%`],
    ),
  ]).finally(() => pool.end());

  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const publish = createEventPublisher(redis, options.channel, createLogger('warn'), {
    codec: createChannelCodec(options.encryptionKey),
  });
  const perTick = (total: number, everyS: number) => total / everyS / TICKS_PER_S;
  const state = { device: 0, sensor: 0, deviceCarry: 0, sensorCarry: 0, statuses: 0, readings: 0 };
  const timer = setInterval(() => {
    const now = Date.now();
    state.deviceCarry += perTick(devices.length, DEVICE_EVERY_S);
    for (; state.deviceCarry >= 1 && devices.length > 0; state.deviceCarry -= 1) {
      const d = devices[state.device]!;
      state.device = (state.device + 1) % devices.length;
      // Slowly draining, recharged at the bottom.
      d.battery = d.battery <= 3 ? 100 : d.battery - 1;
      const payload: DeviceStatusDto = {
        deviceId: d.id,
        guardId: null,
        siteId: d.site_id,
        battery: d.battery,
        signalDbm: -70,
        signalPercent: null,
        charging: false,
        lastSeenAt: now,
      };
      publish({ type: CHANNEL_EVENTS.deviceStatus, payload });
      state.statuses += 1;
    }
    state.sensorCarry += perTick(sensors.length, SENSOR_EVERY_S);
    for (; state.sensorCarry >= 1 && sensors.length > 0; state.sensorCarry -= 1) {
      const s = sensors[state.sensor]!;
      state.sensor = (state.sensor + 1) % sensors.length;
      const payload: SensorReadingDto = {
        sensorId: s.id,
        siteId: s.site_id,
        value: 18 + Math.random() * 6,
        unit: s.kind === 'temperature' ? '°C' : null,
        readAt: now,
        inAlarm: false,
      };
      publish({ type: CHANNEL_EVENTS.sensorReading, payload });
      state.readings += 1;
    }
  }, 1000 / TICKS_PER_S);

  return {
    devices: devices.length,
    sensors: sensors.length,
    sent: () => ({ statuses: state.statuses, readings: state.readings }),
    async stop(): Promise<void> {
      clearInterval(timer);
      await redis.quit();
    },
  };
}
