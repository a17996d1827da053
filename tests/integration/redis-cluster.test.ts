/**
 * Watchfloor on a Redis Cluster (three masters, private to this test): a GPS
 * fix goes from MQTT through a BullMQ queue on the cluster to PostGIS and a
 * Socket.IO client, an SOS is raised and pushed live, and every key the app
 * wrote obeys the cluster's rule that one command or script stays in one slot
 * (the cluster would refuse it otherwise: CROSSSLOT).
 */
import { Queue } from 'bullmq';
import type { Cluster } from 'ioredis';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger';
import { createProcessRegistry } from '../../server/metrics/process-registry';
import { messageKeyOf } from '../../server/mqtt/messages';
import { createRedis, queuePrefix, type RedisClient } from '../../server/redis';
import { QUEUE_NAMES, routeFor } from '../../server/queues/routes';
import { CLAIM_IDLE_MS } from '../../server/realtime/event-stream';
import { createChannelCodec } from '../../server/security/channel-codec';
import { SERVER_EVENTS, type ServerToClientEvents } from '../../contract/socket-events';
import type { AlertDto } from '../../contract/alerts';
import type { GuardPositionDto } from '../../contract/guards';
import { createSiteWithGuard, removeSite } from '../helpers/fixtures';
import { INGEST_READY, startTestApp, type TestApp } from '../helpers/in-process-app';
import {
  startPrivateRedisCluster,
  type PrivateRedisCluster,
} from '../helpers/private-redis-cluster';
import { mqttPublisherOptions, requireServiceUrls, uniqueId } from '../helpers/services';
import { createTestUser, removeTestUsers, type TestUser } from '../helpers/sessions';
import { jobOfMessage } from '../helpers/message-job';
import { waitFor } from '../helpers/wait-for';

const urls = requireServiceUrls();
const siteId = uniqueId('site');
const guardId = uniqueId('guard');

let cluster: PrivateRedisCluster;
let testApp: TestApp;
let pool: pg.Pool;
let publisher: MqttClient;
let socket: Socket<ServerToClientEvents>;
let redis: RedisClient;
let admin: TestUser | undefined;
const positions: GuardPositionDto[] = [];
const alerts: AlertDto[] = [];

beforeAll(async () => {
  cluster = await startPrivateRedisCluster();
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
  await createSiteWithGuard(pool, { siteId, guardId });
  testApp = await startTestApp({ REDIS_URL: cluster.url });
  redis = createRedis(testApp.config, { name: 'test', logger: createLogger('silent') });
  publisher = await mqtt.connectAsync(urls.mqttUrl, {
    clientId: uniqueId('pub'),
    protocolVersion: 5,
    ...mqttPublisherOptions(),
  });
  admin = await createTestUser(pool, testApp.config, { role: 'admin' });
  socket = connectSocket(testApp.baseUrl, {
    transports: ['websocket'],
    extraHeaders: { cookie: admin.cookie },
  });
  socket.on(SERVER_EVENTS.guardPositions, (batch) => positions.push(...batch));
  socket.on(SERVER_EVENTS.alert, (alert) => alerts.push(alert));
  await new Promise((resolve) => socket.once(SERVER_EVENTS.snapshot, resolve));
  await waitFor(() => testApp.logs.some((l) => l.msg === INGEST_READY), {
    what: 'the ingest connections',
    timeoutMs: 30_000,
  });
}, 90_000);

afterAll(async () => {
  socket?.disconnect();
  await publisher?.endAsync();
  await testApp?.stop();
  await redis?.quit();
  if (pool) {
    await removeTestUsers(pool, [admin]);
    await pool.query(`DELETE FROM alerts WHERE site_id = $1`, [siteId]);
    await removeSite(pool, siteId);
    await pool.end();
  }
  await cluster?.destroy();
}, 60_000);

/** Publishes a message and returns its job id (the message key). */
async function publish(topic: string, body: object, qos: 1 | 2): Promise<string> {
  const msgId = uniqueId('m');
  const payload = JSON.stringify({ ts: Date.now() - 100, ...body, msgId });
  await publisher.publishAsync(topic, payload, { qos });
  return messageKeyOf(topic, msgId, Buffer.from(payload));
}

describe('on a Redis Cluster', () => {
  it('runs a GPS fix from MQTT through a hash-tagged queue to PostGIS and a browser', async () => {
    expect(redis.isCluster).toBe(true);
    const jobId = await publish(`guard/${guardId}/gps`, { lat: 51.22, lon: 4.4, accuracy: 5 }, 1);
    const { queue: queueName } = routeFor('process_guard_gps');
    const prefix = queuePrefix(testApp.config.QUEUE_PREFIX, queueName, redis);
    expect(prefix).toBe(`${testApp.config.QUEUE_PREFIX}:{${queueName}}`);
    const queue = new Queue(queueName, { connection: redis, prefix });
    try {
      const job = await waitFor(() => jobOfMessage(queue, 'process_guard_gps', jobId), {
        what: 'the job on the cluster',
      });
      expect(job.name).toBe('process_guard_gps');
    } finally {
      await queue.close();
    }
    await waitFor(
      async () =>
        (await pool.query(`SELECT 1 FROM guard_positions WHERE guard_id = $1`, [guardId])).rowCount,
      { what: 'the row in PostGIS' },
    );
    const live = await waitFor(() => positions.find((p) => p.guardId === guardId), {
      what: 'the position on the socket',
    });
    expect(live).toMatchObject({ siteId, lat: 51.22, lon: 4.4 });
  });

  it('raises an SOS and pushes it to the browser', async () => {
    await publish(`alert/${guardId}/sos`, { lat: 51.2207, lon: 4.4027, message: 'help' }, 2);
    const live = await waitFor(() => alerts.find((a) => a.guardId === guardId), {
      what: 'the SOS on the socket',
    });
    expect(live).toMatchObject({ type: 'sos', severity: 'critical', status: 'open', siteId });
    const stored = await pool.query(`SELECT status FROM alerts WHERE id = $1`, [live.id]);
    expect(stored.rows).toEqual([{ status: 'open' }]);
  });

  it('spreads the queues over several masters', async () => {
    const cluster = redis as Cluster;
    const owners = new Set<string>();
    for (const name of QUEUE_NAMES) {
      const key = `${queuePrefix(testApp.config.QUEUE_PREFIX, name, cluster)}:${name}:wait`;
      const slot = Number(await cluster.cluster('KEYSLOT', key));
      const ranges = await cluster.cluster('SLOTS');
      const owner = ranges.find(([from, to]) => slot >= from && slot <= to);
      owners.add(String(owner?.[2]?.[1]));
    }
    expect(owners.size).toBeGreaterThan(1);
  });

  it('reads every process report back in one slot (the admin page and charts)', async () => {
    const registry = createProcessRegistry({
      redis,
      prefix: testApp.config.EVENT_CHANNEL_PREFIX,
      codec: createChannelCodec(testApp.config.CHANNELS_ENCRYPTION_KEY),
      ttlMs: 60_000,
    });
    const reports = await waitFor(
      async () => {
        const all = await registry.readAll();
        return all.length > 0 && all;
      },
      { what: 'a process report on the cluster' },
    );
    expect(reports.map((r) => r.roles)).toContainEqual(['web', 'ingest', 'worker']);
  });

  it('logged no command the cluster refused', () => {
    // CROSSSLOT: keys of one command in several slots; anything Redis refused shows as a warning.
    const refused = testApp.logs.filter(
      (l) => /CROSSSLOT|MOVED|redis/i.test(JSON.stringify(l)) && Number(l.level) >= 40,
    );
    expect(refused).toEqual([]);
  });

  it('sends every command to the node that holds its keys (no MOVED while running)', async () => {
    // The broadcast stream's XINFO/XGROUP name no key ioredis knows: it once sent them to any
    // master every CLAIM_IDLE_MS, and followed the MOVED (two times in three) by reloading its
    // slot map. (A connection BullMQ has just opened may take one MOVED: counted from here.)
    const before = cluster.stats().errors;
    await new Promise((resolve) => setTimeout(resolve, 3 * CLAIM_IDLE_MS));
    const { errors } = cluster.stats();
    expect(errors.CROSSSLOT ?? 0, 'CROSSSLOT').toBe(0);
    expect((errors.MOVED ?? 0) - (before.MOVED ?? 0), 'MOVED while running').toBe(0);
  }, 20_000);
});
