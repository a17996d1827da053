/**
 * Charts in a split deployment: a web-only app and an ingest + worker app
 * (two in-process apps sharing a queue prefix and event channel) on the real
 * Redis, Mosquitto and PostgreSQL. Messages published over MQTT to the ingest
 * app show up in the web app's chart samples (rates, latency, queue throughput); process reports cross Redis
 * sealed; a process that stops or stops reporting leaves component health.
 */
import { Redis } from 'ioredis';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as chartsRoute } from '../../app/api/charts/route';
import { createProcessRegistry } from '../../server/metrics/process-registry';
import type { ProcessReport } from '../../server/metrics/process-report';
import { routeFor } from '../../server/queues/routes';
import { REPORT_TTL_INTERVALS } from '../../server/metrics/process-reports';
import type { ChartHistoryDto, ChartSampleDto } from '../../contract/charts';
import { createChannelCodec } from '../../server/security/channel-codec';
import { generateFernetKey } from '../../server/security/fernet';
import { createSiteWithGuard, removeSite } from '../helpers/fixtures';
import { INGEST_READY, startTestApp, type TestApp } from '../helpers/in-process-app';
import { mqttPublisherOptions, requireServiceUrls, uniqueId } from '../helpers/services';
import { createTestUser, removeTestUsers, type TestUser } from '../helpers/sessions';
import { waitFor } from '../helpers/wait-for';

const urls = requireServiceUrls();
const id = uniqueId('split');
const SAMPLE_MS = 500;
const KEY = generateFernetKey();
const shared = {
  QUEUE_PREFIX: `wft-${id}`,
  EVENT_CHANNEL_PREFIX: `wft-${id}:events`,
  CHART_SAMPLE_MS: String(SAMPLE_MS),
  CHANNELS_ENCRYPTION_KEY: KEY,
};
const siteId = uniqueId('split-site');
const guardId = uniqueId('split-guard');

let web: TestApp;
let pipeline: TestApp | undefined;
let pool: pg.Pool;
let redis: Redis;
let publisher: MqttClient;
let admin: TestUser;

async function samples(): Promise<ChartSampleDto[]> {
  const response = await chartsRoute(
    new Request('http://watchfloor.test/api/charts', {
      headers: { host: 'watchfloor.test', cookie: admin.cookie },
    }),
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as ChartHistoryDto).samples;
}

/** The newest sample taken after `since` (epoch ms) that satisfies `check`. */
function sampleWhere(since: number, check: (sample: ChartSampleDto) => boolean, what: string) {
  return waitFor(
    async () => (await samples()).find((sample) => sample.t > since && check(sample)),
    { timeoutMs: 30_000, intervalMs: SAMPLE_MS, what },
  );
}

const processOf = (sample: ChartSampleDto, roles: string) =>
  sample.processes.find((p) => p.roles.join(',') === roles);

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
  await createSiteWithGuard(pool, { siteId, guardId });
  redis = new Redis(urls.redisUrl, { maxRetriesPerRequest: null });
  web = await startTestApp({ ...shared, ROLES: 'web' });
  pipeline = await startTestApp({ ...shared, ROLES: 'ingest,worker' });
  admin = await createTestUser(pool, web.config, { role: 'admin' });
  publisher = await mqtt.connectAsync(urls.mqttUrl, {
    clientId: uniqueId('pub'),
    protocolVersion: 5,
    ...mqttPublisherOptions(),
  });
  await waitFor(() => pipeline!.logs.some((l) => l.msg === INGEST_READY), {
    timeoutMs: 30_000,
    what: 'the ingest app to subscribe',
  });
}, 60_000);

afterAll(async () => {
  await publisher?.endAsync();
  await pipeline?.stop();
  await web?.stop();
  redis?.disconnect();
  await removeTestUsers(pool, [admin]);
  await pool?.query('DELETE FROM guard_positions WHERE guard_id = $1', [guardId]);
  await removeSite(pool, siteId);
  await pool?.end();
});

describe('charts across split processes', () => {
  it('shows the ingest app’s rate by topic root and the worker’s latency on the web app', async () => {
    // A rate needs two reports of a process: the web app must have seen the pipeline report
    // twice before the burst, or the burst could land in its first report and count as history.
    const first = await sampleWhere(
      0,
      (s) => processOf(s, 'ingest,worker') !== undefined,
      'the pipeline process on the web app',
    );
    await sampleWhere(
      first.t,
      (s) => (processOf(s, 'ingest,worker')?.lastReportAt ?? 0) > first.t,
      'a second report of the pipeline process',
    );
    const start = Date.now();
    // Published in a burst: one sample interval sees them all, so the rate is clearly above zero.
    for (let i = 0; i < 40; i += 1) {
      await publisher.publishAsync(
        `guard/${guardId}/gps`,
        JSON.stringify({ lat: 51.2205, lon: 4.4025 + i * 1e-5, accuracy: 5, ts: Date.now() }),
        { qos: 1 },
      );
    }
    const withIngest = await sampleWhere(
      start,
      (s) => (s.ingestPerSec.guard ?? 0) > 0,
      'a web sample with the ingest app’s guard rate',
    );
    expect(withIngest.ingestPerSec.guard).toBeGreaterThan(0);
    const withLatency = await sampleWhere(
      start,
      (s) => s.latencyP50Ms !== null && s.latencyP95Ms !== null,
      'a web sample with the worker’s processing latency',
    );
    expect(withLatency.latencyP95Ms!).toBeGreaterThanOrEqual(withLatency.latencyP50Ms!);
    // Throughput from the worker app's task statistics in Redis, the admin page's count too.
    const gpsQueue = routeFor('process_guard_gps').queue;
    const withThroughput = await sampleWhere(
      start,
      (s) => (s.queues[gpsQueue]?.completedPerSec ?? 0) > 0,
      'a web sample with the worker’s GPS queue throughput',
    );
    expect(withThroughput.queues[gpsQueue]!.completedPerSec).toBeGreaterThan(0);
    // The web app itself ingests nothing: every number above came over Redis.
    expect(await web.app.metrics.mqttMessageProcessed.get()).toMatchObject({ values: [] });

    const all = (await samples()).at(-1)!;
    expect(processOf(all, 'web')?.state).toBe('live');
    expect(processOf(all, 'ingest,worker')).toMatchObject({ state: 'live', down: [] });
    expect(all.health.mqtt).toBe(true);
  }, 60_000);

  it('seals the reports in Redis and drops one written with a foreign key', async () => {
    const keys = await redis.keys(`${shared.EVENT_CHANNEL_PREFIX}:{processes}:*`);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const key of keys) {
      const raw = (await redis.get(key)) ?? '';
      expect(raw).not.toContain('"roles"');
      expect(createChannelCodec(KEY).open(raw).toString()).toContain('"roles"');
    }
    const forger = createProcessRegistry({
      redis,
      prefix: shared.EVENT_CHANNEL_PREFIX,
      codec: createChannelCodec(generateFernetKey()),
      ttlMs: 60_000,
    });
    const forged = fakeReport('forged');
    await forger.publish(forged);
    try {
      const since = Date.now();
      const later = await sampleWhere(since, () => true, 'a sample after the forgery');
      expect(later.processes.some((p) => p.id === forged.id)).toBe(false);
      const rejected = await web.app.metrics.channelMessageRejected.get();
      expect(rejected.values.some((v) => v.labels.path === 'process-reports' && v.value > 0)).toBe(
        true,
      );
    } finally {
      await forger.withdraw(forged.id);
    }
  }, 30_000);

  it('marks a process that stops reporting as gone once its report expires', async () => {
    const registry = createProcessRegistry({
      redis,
      prefix: shared.EVENT_CHANNEL_PREFIX,
      codec: createChannelCodec(KEY),
      ttlMs: REPORT_TTL_INTERVALS * SAMPLE_MS,
    });
    // One report, then silence: a process that crashed without withdrawing.
    const crashed = fakeReport('crashed');
    await registry.publish(crashed);
    const since = Date.now();
    await sampleWhere(
      since,
      (s) => s.processes.some((p) => p.id === crashed.id && p.state === 'live'),
      'the crashed process listed as live first',
    );
    await sampleWhere(
      since,
      (s) => s.processes.some((p) => p.id === crashed.id && p.state === 'gone'),
      'the crashed process marked gone after its TTL',
    );
  }, 30_000);

  it('marks the ingest app gone when it stops, and MQTT health unknown without it', async () => {
    await pipeline!.stop();
    pipeline = undefined;
    const since = Date.now();
    // The web app shares this test's process with the stopping one: its own report
    // (1.5 s TTL here) may lapse for a moment while the other shuts down, so the
    // sample that matters is one where the web app reports again.
    const after = await sampleWhere(
      since,
      (s) =>
        processOf(s, 'ingest,worker')?.state === 'gone' && processOf(s, 'web')?.state === 'live',
      'the stopped ingest app marked gone beside the live web app',
    );
    expect(processOf(after, 'web')?.state).toBe('live');
    expect(after.health.mqtt).toBeNull();
    expect(after.ingestPerSec).toEqual({});
  }, 30_000);
});

function fakeReport(name: string): ProcessReport {
  return {
    id: `${name}-${id}`,
    host: 'elsewhere',
    pid: 1,
    roles: ['worker'],
    at: Date.now(),
    processed: {},
    invalid: {},
    latency: {},
    health: { 'worker.redis': true },
    eventLoopLagMs: 0,
  };
}
