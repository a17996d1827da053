/**
 * Every topic kind end to end on the real services: published over MQTT, on
 * its routed queue at its priority, in its table, with its effects; and every
 * class of bad input refused, counted by reason and quarantined, while valid
 * messages right after it are still stored.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageKeyOf } from '../../server/mqtt/messages';
import { listQuarantine } from '../../server/mqtt/quarantine';
import { parseTopic } from '../../server/mqtt/topics';
import type { TaskName } from '../../contract/job-data';
import { routeFor, toBullPriority } from '../../server/queues/routes';
import { SERVER_EVENTS, type ServerToClientEvents } from '../../contract/socket-events';
import type { AlertDto } from '../../contract/alerts';
import { createSiteWithGuard, removeSite } from '../helpers/fixtures';
import { INGEST_READY, startTestApp, type TestApp } from '../helpers/in-process-app';
import { mqttPublisherOptions, requireServiceUrls, uniqueId } from '../helpers/services';
import { createTestUser, removeTestUsers, type TestUser } from '../helpers/sessions';
import { jobOfMessage } from '../helpers/message-job';
import { waitFor } from '../helpers/wait-for';

const urls = requireServiceUrls();
const siteId = uniqueId('site');
const guardId = uniqueId('guard');
const deviceId = uniqueId('tracker');
const sensorId = uniqueId('smoke');
const component = uniqueId('gateway');

let app: TestApp;
let pool: pg.Pool;
let publisher: MqttClient;
let redis: Redis;
let socket: Socket<ServerToClientEvents>;
let admin: TestUser | undefined;
const alertsSeen: AlertDto[] = [];

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
  await createSiteWithGuard(pool, { siteId, guardId });
  await pool.query(`INSERT INTO devices (id, guard_id, updated_at) VALUES ($1, $2, now())`, [
    deviceId,
    guardId,
  ]);
  await pool.query(
    `INSERT INTO sensors (id, kind, site_id, updated_at) VALUES ($1, 'smoke', $2, now())`,
    [sensorId, siteId],
  );
  app = await startTestApp();
  redis = new Redis(urls.redisUrl, { maxRetriesPerRequest: null });
  publisher = await mqtt.connectAsync(urls.mqttUrl, {
    clientId: uniqueId('pub'),
    protocolVersion: 5,
    ...mqttPublisherOptions(),
  });
  socket = connectSocket(app.baseUrl, {
    transports: ['websocket'],
    // Sockets are authenticated at the handshake: an admin sees every site.
    extraHeaders: {
      cookie: (admin = await createTestUser(pool, app.config, { role: 'admin' })).cookie,
    },
  });
  socket.on(SERVER_EVENTS.alert, (alert) => alertsSeen.push(alert));
  await new Promise((resolve) => socket.once(SERVER_EVENTS.snapshot, resolve));
  await waitFor(() => app.logs.some((l) => l.msg === INGEST_READY), {
    what: 'ingest',
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
});

afterAll(async () => {
  await removeTestUsers(pool, [admin]);
  socket?.disconnect();
  await publisher?.endAsync();
  await app?.stop();
  await redis?.quit();
  await pool.query(`DELETE FROM alerts WHERE site_id = $1 OR device_id = $2 OR sensor_id = $3`, [
    siteId,
    deviceId,
    sensorId,
  ]);
  await pool.query(`DELETE FROM devices WHERE id = $1`, [deviceId]);
  await pool.query(`DELETE FROM sensors WHERE id = $1`, [sensorId]);
  await pool.query(`DELETE FROM system_health_reports WHERE component = $1`, [component]);
  await pool.query(`DELETE FROM component_health WHERE component = $1`, [component]);
  await removeSite(pool, siteId);
  await pool.end();
});

/** Publishes a message with a fresh msgId and returns its job id (the message key). */
async function publish(
  topic: string,
  body: Record<string, unknown>,
  qos: 0 | 1 | 2,
): Promise<string> {
  const msgId = uniqueId('m');
  const payload = JSON.stringify({ ts: Date.now() - 100, ...body, msgId });
  await publisher.publishAsync(topic, payload, { qos });
  return messageKeyOf(topic, msgId, Buffer.from(payload));
}

/** Waits for the job and checks its queue and priority against the route table. */
async function expectRoutedJob(topic: string, jobId: string): Promise<void> {
  const task = parseTopic(topic)!.kind.task as TaskName;
  const route = routeFor(task);
  const queue = new Queue(route.queue, { connection: redis, prefix: app.config.QUEUE_PREFIX });
  const job = await waitFor(() => jobOfMessage(queue, task, jobId), {
    what: `the job of ${topic}`,
  });
  expect(job.name).toBe(task);
  expect(job.opts.priority).toBe(toBullPriority(route.priority));
  await queue.close();
}

async function one<T>(sql: string, params: unknown[]): Promise<T | undefined> {
  return (await pool.query(sql, params)).rows[0] as T | undefined;
}

describe('each topic kind', () => {
  it('stores a GPS fix and a duty status on the guard', async () => {
    const gps = `guard/${guardId}/gps`;
    await expectRoutedJob(gps, await publish(gps, { lat: 51.2206, lon: 4.4026, accuracy: 5 }, 1));
    const status = `guard/${guardId}/status`;
    await expectRoutedJob(status, await publish(status, { status: 'patrolling' }, 1));
    await waitFor(
      () =>
        one(
          `SELECT 1 FROM guards WHERE id = $1 AND duty_status = 'patrolling' AND last_fix_at IS NOT NULL`,
          [guardId],
        ),
      {
        what: 'the guard updated',
      },
    );
    expect(
      await one(`SELECT count(*)::int AS n FROM guard_status_reports WHERE guard_id = $1`, [
        guardId,
      ]),
    ).toEqual({ n: 1 });
  });

  it('stores telemetry and raises low battery once, not per message', async () => {
    const topic = `device/${deviceId}/telemetry`;
    for (const battery of [40, 14, 12, 11]) {
      await expectRoutedJob(topic, await publish(topic, { battery, signal: -90 }, 1));
    }
    await waitFor(
      async () =>
        (
          await one<{ n: number }>(
            `SELECT count(*)::int AS n FROM device_telemetry WHERE device_id = $1`,
            [deviceId],
          )
        )?.n === 4,
      {
        what: 'four telemetry rows',
      },
    );
    await waitFor(
      () => one(`SELECT 1 FROM devices WHERE id = $1 AND battery = 11 AND low_battery`, [deviceId]),
      {
        what: 'the device state',
      },
    );
    const lows = await pool.query(
      `SELECT severity, guard_id, site_id FROM alerts WHERE device_id = $1 AND type = 'low_battery'`,
      [deviceId],
    );
    expect(lows.rows).toEqual([{ severity: 'medium', guard_id: guardId, site_id: siteId }]);
  });

  it('stores sensor readings and raises one critical alert when the threshold is crossed', async () => {
    const topic = `sensor/${sensorId}/reading`;
    for (const value of [0, 1, 1])
      await expectRoutedJob(topic, await publish(topic, { kind: 'smoke', value }, 1));
    await waitFor(
      async () =>
        (
          await one<{ n: number }>(
            `SELECT count(*)::int AS n FROM sensor_readings WHERE sensor_id = $1`,
            [sensorId],
          )
        )?.n === 3,
      {
        what: 'three readings',
      },
    );
    const alerts = await waitFor(
      async () => {
        const { rows } = await pool.query(
          `SELECT type, severity, site_id FROM alerts WHERE sensor_id = $1`,
          [sensorId],
        );
        return rows.length > 0 && rows;
      },
      { what: 'the sensor alert' },
    );
    expect(alerts).toEqual([{ type: 'sensor_threshold', severity: 'critical', site_id: siteId }]);
  });

  it('raises a device SOS at QoS 2, keeps hostile text as it was sent, and pushes it live', async () => {
    const hostile = `<img src=x onerror=alert(1)>'); DELETE FROM alerts; --`;
    const topic = `alert/${guardId}/sos`;
    await expectRoutedJob(
      topic,
      await publish(topic, { lat: 51.2207, lon: 4.4027, message: hostile }, 2),
    );
    const live = await waitFor(
      () => alertsSeen.find((a) => a.guardId === guardId && a.type === 'sos'),
      {
        what: 'the SOS on the socket',
      },
    );
    expect(live).toMatchObject({
      severity: 'critical',
      status: 'open',
      siteId,
      message: hostile,
      location: { lat: 51.2207, lon: 4.4027 },
    });
    expect(await one(`SELECT message FROM alerts WHERE id = $1`, [live.id])).toEqual({
      message: hostile,
    });
  });

  it('records system health sent at QoS 0', async () => {
    const topic = `system/${component}/health`;
    await expectRoutedJob(
      topic,
      await publish(
        topic,
        { status: 'degraded', detail: 'uplink slow', metrics: { lag_ms: 900 } },
        0,
      ),
    );
    const row = await waitFor(
      () =>
        one(`SELECT status, detail, metrics FROM component_health WHERE component = $1`, [
          component,
        ]),
      {
        what: 'the component health',
      },
    );
    expect(row).toEqual({ status: 'degraded', detail: 'uplink slow', metrics: { lag_ms: 900 } });
  });
});

describe('bad input', () => {
  it('refuses each class of bad input with its reason counted and quarantined, and keeps storing valid messages', async () => {
    const gps = `guard/${guardId}/gps`;
    const bad: [string, string | Buffer][] = [
      // The broker's ACL already refuses unknown roots; an unknown kind under a known root reaches us.
      [`guard/${guardId}/selfie`, '{}'],
      [gps, Buffer.alloc(5000, 0x20)],
      [gps, Buffer.from([0x7b, 0xc3, 0x28, 0x7d])],
      [gps, 'lat=51.2'],
      [gps, `${'['.repeat(40)}${']'.repeat(40)}`],
      [gps, JSON.stringify({ lat: 123, lon: 4.4, accuracy: 5, ts: Date.now() })],
    ];
    for (const [topic, payload] of bad) await publisher.publishAsync(topic, payload, { qos: 1 });
    const after = await publish(gps, { lat: 51.2204, lon: 4.4024, accuracy: 4 }, 1);
    await waitFor(() => one(`SELECT 1 FROM guard_positions WHERE message_key = $1`, [after]), {
      what: 'the valid fix after',
    });

    // The group spreads messages over several connections, so the refusals may land in
    // any order, and after the valid fix: wait for all six before reading counts.
    const quarantine = await waitFor(
      async () => {
        const page = await listQuarantine(redis, app.config.QUEUE_PREFIX, 0, 10);
        return page.items.length >= bad.length ? page : null;
      },
      { what: 'six quarantined messages' },
    );
    expect(quarantine.items.map((q) => q.reason).sort()).toEqual(
      ['rejected_topic', 'oversize', 'invalid_utf8', 'invalid_json', 'too_deep', 'schema'].sort(),
    );
    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^mqtt_subscriber_rejected_topic_total 1$/m);
    for (const reason of ['oversize', 'invalid_utf8', 'invalid_json', 'too_deep', 'schema']) {
      expect(metrics).toMatch(
        new RegExp(`^mqtt_subscriber_invalid_payload_total\\{reason="${reason}"\\} 1$`, 'm'),
      );
    }
    expect(quarantine.items.find((q) => q.reason === 'invalid_utf8')?.preview).toBe('{\\xc3(}');
  });
});
