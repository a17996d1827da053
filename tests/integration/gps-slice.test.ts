/**
 * The foundation slice on the real services: one GPS fix published over MQTT
 * becomes a job on its routed queue, a PostGIS row, and a Socket.IO event.
 * Latencies are printed, never asserted (shared, noisy machines).
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageKeyOf } from '../../server/mqtt/messages';
import { createLogger } from '../../server/logger';
import { routeFor, toBullPriority } from '../../server/queues/routes';
import { createTaskQueues } from '../../server/queues/task-queues';
import { SERVER_EVENTS, type ServerToClientEvents } from '../../contract/socket-events';
import type { GuardPositionDto } from '../../contract/guards';
import type { SnapshotDto } from '../../contract/screen';
import { createSiteWithGuard, removeSite } from '../helpers/fixtures';
import { INGEST_READY, startTestApp, type TestApp } from '../helpers/in-process-app';
import { mqttPublisherOptions, requireServiceUrls, uniqueId } from '../helpers/services';
import { createTestUser, removeTestUsers, type TestUser } from '../helpers/sessions';
import { jobOfMessage } from '../helpers/message-job';
import { waitFor } from '../helpers/wait-for';

const urls = requireServiceUrls();
const siteId = uniqueId('site');
const guardId = uniqueId('guard');
const topic = `guard/${guardId}/gps`;

let testApp: TestApp;
let pool: pg.Pool;
let publisher: MqttClient;
let socket: Socket<ServerToClientEvents>;
let queueRedis: Redis;
const received: GuardPositionDto[] = [];

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
  await createSiteWithGuard(pool, { siteId, guardId });
  testApp = await startTestApp();
  publisher = await mqtt.connectAsync(urls.mqttUrl, {
    clientId: uniqueId('pub'),
    protocolVersion: 5,
    ...mqttPublisherOptions(),
  });
  queueRedis = new Redis(urls.redisUrl, { maxRetriesPerRequest: null });
  socket = connectSocket(testApp.baseUrl, {
    transports: ['websocket'],
    // Sockets are authenticated at the handshake: an admin sees every site.
    extraHeaders: {
      cookie: (admin = await createTestUser(pool, testApp.config, { role: 'admin' })).cookie,
    },
  });
  const snapshot = await new Promise<SnapshotDto>((resolve) =>
    socket.once(SERVER_EVENTS.snapshot, resolve),
  );
  expect(snapshot.sites.map((s) => s.id)).toContain(siteId);
  socket.on(SERVER_EVENTS.guardPositions, (batch) => received.push(...batch));
  // The ingest group must be subscribed before we publish, or the broker has no one to deliver to.
  // Nothing else needs waiting for: the web node subscribed to the event channel before the app
  // started, and the socket joined its rooms before the snapshot above was sent.
  await waitFor(() => testApp.logs.some((l) => l.msg === INGEST_READY), {
    what: 'the ingest connections',
  });
});

let admin: TestUser | undefined;

afterAll(async () => {
  await removeTestUsers(pool, [admin]);
  socket?.disconnect();
  await publisher?.endAsync();
  await testApp?.stop();
  await queueRedis?.quit();
  await removeSite(pool, siteId);
  await pool?.end();
});

interface PositionRow {
  lon: number;
  lat: number;
  accuracy_m: number;
  speed_mps: number;
  heading_deg: number;
  fix_at: Date;
}

describe('guard GPS from device to browser', () => {
  it('turns one published fix into a job, a PostGIS row and a Socket.IO event', async () => {
    const fix = { lat: 51.2207431, lon: 4.4031877, accuracy: 4.5, speed: 1.3, heading: 271.5 };
    const fixAt = Date.now() - 500;
    const payload = JSON.stringify({ ...fix, ts: fixAt, msgId: uniqueId('m') });
    const jobId = messageKeyOf(topic, JSON.parse(payload).msgId, Buffer.from(payload));
    const route = routeFor('process_guard_gps');
    const queue = new Queue(route.queue, {
      connection: queueRedis,
      prefix: testApp.config.QUEUE_PREFIX,
    });

    const t0 = performance.now();
    await publisher.publishAsync(topic, payload, { qos: 1 });

    const job = await waitFor(() => jobOfMessage(queue, 'process_guard_gps', jobId), {
      what: 'the job',
    });
    const tJob = performance.now();
    expect(route.queue).toBe('high_priority');
    expect(job.name).toBe('process_guard_gps');
    expect(job.queueName).toBe('high_priority');
    expect(job.opts.priority).toBe(toBullPriority(route.priority));

    const row = await waitFor(
      async () =>
        (
          await pool.query<PositionRow>(
            `SELECT ST_X(position::geometry) AS lon, ST_Y(position::geometry) AS lat,
                    accuracy_m, speed_mps, heading_deg, fix_at
             FROM guard_positions WHERE guard_id = $1`,
            [guardId],
          )
        ).rows[0],
      { what: 'the row in PostGIS' },
    );
    const tRow = performance.now();
    expect(row).toMatchObject({
      lon: fix.lon,
      lat: fix.lat,
      accuracy_m: 4.5,
      speed_mps: 1.3,
      heading_deg: 271.5,
    });
    expect(row.fix_at.getTime()).toBe(fixAt);

    const event = await waitFor(() => received.find((p) => p.guardId === guardId), {
      what: 'the Socket.IO event',
    });
    const tEvent = performance.now();
    expect(event).toMatchObject({ siteId, lat: fix.lat, lon: fix.lon, accuracyM: 4.5 });
    expect(event.fixAt).toBe(fixAt);

    const latest = await pool.query(
      `SELECT ST_X(last_position::geometry) AS lon, ST_Y(last_position::geometry) AS lat FROM guards WHERE id = $1`,
      [guardId],
    );
    expect(latest.rows[0]).toEqual({ lon: fix.lon, lat: fix.lat });

    console.log(
      `[latency] publish -> job on ${route.queue}: ${(tJob - t0).toFixed(1)} ms; ` +
        `-> row in PostGIS: ${(tRow - t0).toFixed(1)} ms; -> Socket.IO event: ${(tEvent - t0).toFixed(1)} ms`,
    );
    await queue.close();
  });

  it('stores a fix carried by two batch jobs once (a redelivered message lands in another batch)', async () => {
    const queues = createTaskQueues(
      queueRedis,
      testApp.config.QUEUE_PREFIX,
      createLogger('silent'),
    );
    const fixAt = Date.now() - 60_000;
    const fix = {
      messageKey: uniqueId('twice'),
      guardId,
      lat: 51.2211,
      lon: 4.4011,
      fixAt,
      accuracyM: 3,
      speedMps: null,
      headingDeg: null,
      receivedAt: fixAt + 10,
    };
    const other = { ...fix, messageKey: uniqueId('once'), lat: 51.2212, fixAt: fixAt + 1 };
    await queues.enqueueBatch('process_guard_gps', [fix]);
    await queues.enqueueBatch('process_guard_gps', [other, fix]);
    const queue = queues.queue(routeFor('process_guard_gps').queue);
    const done = await waitFor(
      async () => {
        const mine = (await queue.getJobs(['completed'])).filter((j) =>
          JSON.stringify(j.data).includes(fix.messageKey),
        );
        return mine.length === 2 && mine;
      },
      { what: 'both batch jobs completed' },
    );
    expect(done.map((j) => j.returnvalue).sort((a, b) => a.messages - b.messages)).toEqual([
      { messages: 1 },
      { messages: 2 },
    ]);
    const rows = await pool.query(
      `SELECT ST_Y(position::geometry) AS lat FROM guard_positions WHERE guard_id = $1 AND fix_at >= $2 AND fix_at <= $3`,
      [guardId, new Date(fixAt), new Date(fixAt + 1)],
    );
    expect(rows.rows.map((r) => r.lat).sort()).toEqual([51.2211, 51.2212]);
    await queues.close();
  });

  it('refuses a fix that is not JSON or has latitude 123, stores nothing for it, and logs why', async () => {
    const stored = async () =>
      (
        await pool.query<{ lat: number }>(
          `SELECT ST_Y(position::geometry) AS lat FROM guard_positions WHERE guard_id = $1`,
          [guardId],
        )
      ).rows.map((r) => r.lat);
    const before = await stored();
    await publisher.publishAsync(topic, 'lat=51.2;lon=4.4', { qos: 1 });
    const badLatitude = JSON.stringify({ lat: 123, lon: 4.4, accuracy: 5, ts: Date.now() });
    await publisher.publishAsync(topic, badLatitude, { qos: 1 });
    // A valid fix right after proves the subscriber neither crashed nor stalled.
    const after = JSON.stringify({
      lat: 51.2206,
      lon: 4.4029,
      accuracy: 6,
      ts: Date.now(),
      msgId: uniqueId('m'),
    });
    await publisher.publishAsync(topic, after, { qos: 1 });

    await waitFor(
      async () =>
        (
          await pool.query(
            `SELECT 1 FROM guard_positions WHERE guard_id = $1 AND ST_Y(position::geometry) = 51.2206`,
            [guardId],
          )
        ).rowCount === 1,
      { what: 'the valid fix sent after the bad ones' },
    );
    // The fixes of one connection are handled in order: the bad ones came and went before it.
    expect((await stored()).sort()).toEqual([...before, 51.2206].sort());

    const refusals = testApp.logs.filter(
      (l) => l.msg === 'mqtt message refused' && l.topic === topic,
    );
    expect(refusals.map((l) => l.reason)).toEqual(['invalid_json', 'schema']);
    expect(String(refusals[1]!.detail)).toMatch(/lat/);

    const metrics = await (await fetch(`${testApp.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/mqtt_subscriber_invalid_payload_total\{reason="invalid_json"\} 1/);
    expect(metrics).toMatch(/mqtt_subscriber_invalid_payload_total\{reason="schema"\} 1/);
  });
});
