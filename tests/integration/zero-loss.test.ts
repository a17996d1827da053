/**
 * Nothing lost, nothing doubled: while QoS 1 GPS traffic flows, the broker
 * restarts, Redis stops for 5 s, PostgreSQL restarts, and the ingest process
 * is killed with SIGKILL and started again. Each time, every published message
 * is stored exactly once. Private service instances, so stopping them
 * disturbs no other test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../scripts/migrate';
import { QUEUE_NAMES } from '../../server/queues/routes';
import { INGEST_READY, startTestApp, type TestApp } from '../helpers/in-process-app';
import { createPrivateMosquitto, type PrivateMosquitto } from '../helpers/private-mosquitto';
import {
  startPrivatePostgres,
  startPrivateRedis,
  type PrivateService,
} from '../helpers/private-services';
import { uniqueId } from '../helpers/services';
import { waitFor } from '../helpers/wait-for';
import { runScopedNames } from '../../scripts/lib/run-names';

const ROOT = path.join(__dirname, '..', '..');
const MESSAGES = 600;
const RATE = 150; // msg/s: four seconds of traffic around each fault

/** One device per run: the broker's ACL lets a device publish only under its own id. */
const RUNS = ['mosq', 'redis', 'pg', 'sigkill'] as const;
const deviceOf = (run: (typeof RUNS)[number]) => `zl-${run}`;

let broker: PrivateMosquitto;
let redisService: PrivateService;
let postgres: PrivateService;
let pool: pg.Pool;
let app: TestApp | undefined;

/** Env pointing a Watchfloor at the private services. */
function privateEnv(id: string): Record<string, string> {
  return {
    ...broker.appEnv(),
    DATABASE_URL: postgres.url,
    REDIS_URL: redisService.url,
    ...runScopedNames(`wfz-${id}`),
  };
}

beforeAll(async () => {
  broker = await createPrivateMosquitto(RUNS.map(deviceOf));
  await broker.start();
  redisService = await startPrivateRedis();
  postgres = await startPrivatePostgres();
  await migrate(postgres.url);
  pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
  pool.on('error', () => undefined); // PostgreSQL restarts under this test on purpose
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await pool?.end();
  await Promise.all([broker?.dispose(), redisService?.destroy(), postgres?.destroy()]);
});

/**
 * Publishes MESSAGES fixes at RATE as the run's device; resolves when the broker
 * acknowledged all. The device's client rides out broker restarts: it resends
 * unacknowledged QoS 1 messages after reconnecting.
 */
async function publishSteadily(run: (typeof RUNS)[number]): Promise<void> {
  const deviceId = deviceOf(run);
  const publisher: MqttClient = await mqtt.connectAsync(broker.url, {
    clientId: uniqueId(deviceId),
    username: deviceId,
    password: broker.devicePassword(deviceId),
    protocolVersion: 5,
    reconnectPeriod: 200,
  });
  publisher.on('error', () => undefined);
  const acks: Promise<unknown>[] = [];
  const started = Date.now();
  for (let i = 0; i < MESSAGES; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const payload = {
      lat: 51.22 + i / 1e6,
      lon: 4.4,
      accuracy: 5,
      ts: Date.now(),
      msgId: `${run}-${i}`,
    };
    acks.push(publisher.publishAsync(`guard/${deviceId}/gps`, JSON.stringify(payload), { qos: 1 }));
  }
  await Promise.all(acks);
  await publisher.endAsync();
}

async function storedCount(run: (typeof RUNS)[number]): Promise<{ rows: number; keys: number }> {
  const { rows } = await pool.query<{ rows: number; keys: number }>(
    `SELECT count(*)::int AS rows, count(DISTINCT message_key)::int AS keys
     FROM guard_positions WHERE guard_id = $1`,
    [deviceOf(run)],
  );
  return rows[0]!;
}

/** Sends traffic, injects the fault a second in, and checks that every message is stored once. */
async function expectExactlyOnce(
  run: (typeof RUNS)[number],
  fault: () => Promise<void>,
): Promise<void> {
  const sending = publishSteadily(run);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await fault();
  await sending;
  let last: { rows: number; keys: number } | null = null;
  await waitFor(
    async () => {
      last = (await storedCount(run).catch(() => null)) ?? last;
      return last !== null && last.keys >= MESSAGES;
    },
    { timeoutMs: 120_000, intervalMs: 250, what: `all ${MESSAGES} messages of ${run} stored` },
  ).catch(() => undefined); // the assertion below says how many arrived
  expect(last).toEqual({ rows: MESSAGES, keys: MESSAGES });
}

async function failedJobs(prefix: string): Promise<number> {
  const connection = new Redis(redisService.url, { maxRetriesPerRequest: null });
  try {
    let failed = 0;
    for (const name of QUEUE_NAMES) {
      const queue = new Queue(name, { connection, prefix });
      failed += (await queue.getJobCounts('failed')).failed ?? 0;
      await queue.close();
    }
    return failed;
  } finally {
    await connection.quit();
  }
}

describe('zero loss with every role in one process', () => {
  beforeAll(async () => {
    app = await startTestApp({ ...privateEnv(uniqueId('z')), ROLES: 'ingest,worker' });
    await waitFor(() => app!.logs.some((l) => l.msg === INGEST_READY), {
      what: 'ingest',
    });
  });

  it('stores every message once across a Mosquitto restart', async () => {
    await expectExactlyOnce('mosq', async () => {
      await broker.stop();
      await new Promise((resolve) => setTimeout(resolve, 500));
      await broker.start();
    });
  }, 180_000);

  it('stores every message once while Redis is down for 5 s', async () => {
    await expectExactlyOnce('redis', () => redisService.restart(5000));
  }, 180_000);

  it('stores every message once across a PostgreSQL restart, with no job left failed', async () => {
    await expectExactlyOnce('pg', () => postgres.restart(2000));
    expect(await failedJobs(app!.config.QUEUE_PREFIX)).toBe(0);
  }, 180_000);
});

describe('zero loss when the ingest process is killed', () => {
  let ingest: ChildProcess | null = null;
  const id = uniqueId('kill');

  /** Starts the ingest process and resolves once its two connections are subscribed. */
  async function startIngest(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...privateEnv(id),
        ROLES: 'ingest',
        WATCHFLOOR_ENV: 'test',
        MQTT_INGEST_CONNECTIONS: '2',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout!.on(
      'data',
      (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)),
    );
    await waitFor(() => output.includes(`"msg":"${INGEST_READY}"`), {
      timeoutMs: 60_000,
      what: 'the ingest process to subscribe',
    });
    return child;
  }

  beforeAll(async () => {
    await app?.stop();
    app = await startTestApp({ ...privateEnv(id), ROLES: 'worker' });
    ingest = await startIngest();
  });

  afterAll(async () => {
    ingest?.kill('SIGKILL');
  });

  it('stores every message once after SIGKILL and a restart of the ingest process', async () => {
    await expectExactlyOnce('sigkill', async () => {
      ingest!.kill('SIGKILL');
      await new Promise((resolve) => ingest!.once('exit', resolve));
      await new Promise((resolve) => setTimeout(resolve, 500));
      // Same client ids: the broker resumes the persistent sessions and redelivers
      // what was never acknowledged, plus what queued meanwhile.
      ingest = await startIngest();
    });
  }, 180_000);
});
