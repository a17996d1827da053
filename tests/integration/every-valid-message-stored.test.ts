/**
 * No valid message may end dead: property-based, through the real ingest,
 * queue, worker and PostGIS. fast-check generates schema-valid payloads for
 * every topic kind (edge-case unicode, including U+0000 and lone surrogates,
 * numbers at their bounds, every optional field present or absent, both
 * timestamp forms); each is published over MQTT and must be stored exactly
 * once, its free text as PostgreSQL can keep it, with no job left failed.
 *
 * Runs per kind: WATCHFLOOR_PBT_RUNS (default 12, modest for CI); e.g.
 * `WATCHFLOOR_PBT_RUNS=500 npx vitest run --project integration <this file>`.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageKeyOf } from '../../server/mqtt/messages';
import { DEVICE_ALERT_TYPES } from '../../contract/alerts';
import { COMMAND_ACK_RESULTS } from '../../contract/commands';
import { GUARD_DUTY_STATUSES } from '../../contract/guards';
import { HEALTH_STATUSES } from '../../contract/health';
import { ID_PATTERN, MESSAGE_ID_PATTERN, METRIC_NAME_PATTERN } from '../../contract/ids';
import { SENSOR_KINDS } from '../../contract/sensors';
import { parseTopic, TOPIC_KINDS } from '../../server/mqtt/topics';
import { QUEUE_NAMES, routeFor } from '../../server/queues/routes';
import { toStorableText } from '../../contract/storable-text';
import { INGEST_READY, startTestApp, type TestApp } from '../helpers/in-process-app';
import { mqttPublisherOptions, requireServiceUrls } from '../helpers/services';
import { jobOfMessage } from '../helpers/message-job';
import { waitFor } from '../helpers/wait-for';

const RUNS = Number(process.env.WATCHFLOOR_PBT_RUNS ?? 12);
const urls = requireServiceUrls();
/** Every id of this run starts with it, for clean-up. */
const RUN = `pbt${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
let counter = 0;
const freshId = () => `${RUN}-${++counter}`;

let app: TestApp;
let pool: pg.Pool;
let redis: Redis;
let publisher: MqttClient;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 3 });
  app = await startTestApp();
  redis = new Redis(urls.redisUrl, { maxRetriesPerRequest: null });
  publisher = await mqtt.connectAsync(urls.mqttUrl, {
    clientId: `${RUN}-pub`,
    protocolVersion: 5,
    ...mqttPublisherOptions(),
  });
  await waitFor(() => app.logs.some((l) => l.msg === INGEST_READY), { what: 'ingest' });
}, 60_000);

afterAll(async () => {
  await publisher?.endAsync();
  await app?.stop();
  await redis?.quit();
  const like = `${RUN}-%`;
  for (const [table, column] of [
    ['alerts', 'device_id'],
    ['guard_positions', 'guard_id'],
    ['guard_status_reports', 'guard_id'],
    ['device_telemetry', 'device_id'],
    ['sensor_readings', 'sensor_id'],
    ['device_commands', 'target_id'],
    ['system_health_reports', 'component'],
    ['component_health', 'component'],
    ['sensors', 'id'],
    ['devices', 'id'],
    ['guards', 'id'],
  ])
    await pool.query(`DELETE FROM ${table} WHERE ${column} LIKE $1`, [like]);
  await pool.end();
});

// --- Generators: what the schemas accept, leaning on the edges ---

/** Characters that have broken text pipelines: NUL, lone surrogates, BOM, separators, escapes. */
const edgeChar = fc.constantFrom(
  '\u0000',
  '\ud800',
  '\udfff',
  '\ud83d',
  '\u0001',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u200b',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\uffff',
  '"',
  '\\',
  '/',
  '😀',
  '👩‍👩‍👧',
  'é',
  '\u0301',
  '<script>',
  "'; DROP TABLE alerts; --",
);
/** Free text up to `max` UTF-16 units: edge characters, any code points, or exactly `max`. */
const text = (max: number) =>
  fc
    .oneof(
      fc.array(fc.oneof(edgeChar, fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 12 }),
      fc.constant(['x'.repeat(max)]),
      fc.constant(['\u0000'.repeat(max)]),
      fc.constant([]),
    )
    .map((parts) => parts.join('').slice(0, max));
const double = (min: number, max: number) =>
  fc.oneof(
    fc.constantFrom(min, max, (min + max) / 2),
    fc.double({ min, max, noNaN: true, noDefaultInfinity: true }),
  );
const int = (min: number, max: number) =>
  fc.oneof(fc.constantFrom(min, max), fc.integer({ min, max }));
/**
 * Device time: epoch ms or ISO 8601 with an offset, from 13 days ago to now.
 * Older times are accepted too (tests/unit/gps-message.test.ts), but
 * a row past its table's retention (14 days for health reports, the shortest) is
 * dropped by the next maintenance run of any app on the shared test database: a
 * fresh-clone CI run lost a fix dated 1970 that way before this check saw it.
 */
const OLDEST_KEPT_MS = Date.now() - 13 * 86_400_000;
const deviceTime = fc
  .tuple(
    fc.integer({ min: OLDEST_KEPT_MS, max: Date.now() - 60_000 }),
    fc.integer({ min: -12 * 60, max: 14 * 60 }),
    fc.boolean(),
  )
  .map(([ms, offsetMin, asNumber]) => (asNumber ? ms : isoWithOffset(ms, offsetMin)));
const msgId = fc.stringMatching(MESSAGE_ID_PATTERN);
const idString = fc.stringMatching(ID_PATTERN);
const position = fc
  .record({ lat: double(-90, 90), lon: double(-180, 180) })
  .filter((p) => !(p.lat === 0 && p.lon === 0));

function isoWithOffset(ms: number, offsetMin: number): string {
  const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 23);
  if (offsetMin === 0) return `${local}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

interface Case {
  /** Builds the topic for a fresh id. */
  topic(id: string): string;
  body: fc.Arbitrary<Record<string, unknown>>;
  /** Prepares what the message refers to (a command to acknowledge). */
  prepare?(id: string, body: Record<string, unknown>): Promise<void>;
  /** The stored row's free text (or a marker of it), undefined while not stored. */
  stored(key: string, id: string): Promise<{ text: string | null } | undefined>;
  /** The free text the body carries, as it should be stored. */
  expectedText(body: Record<string, unknown>): string | null;
}

const row = async (sql: string, params: unknown[]) =>
  (await pool.query<{ text: string | null }>(sql, params)).rows[0];
const optionalText = (field: string) => (b: Record<string, unknown>) =>
  typeof b[field] === 'string' ? toStorableText(b[field] as string) : null;

const CASES: Record<string, Case> = {
  'guard/gps': {
    topic: (id) => `guard/${id}/gps`,
    body: fc
      .record(
        {
          position,
          accuracy: double(0, 10_000),
          speed: double(0, 100),
          heading: fc.oneof(
            fc.constant(0),
            fc.double({ min: 0, max: 360, maxExcluded: true, noNaN: true }),
          ),
          ts: deviceTime,
          msgId,
        },
        { requiredKeys: ['position', 'accuracy', 'ts'] },
      )
      .map(({ position: p, ...rest }) => ({ ...p, ...rest })),
    stored: (key) => row(`SELECT NULL AS text FROM guard_positions WHERE message_key = $1`, [key]),
    expectedText: () => null,
  },
  'guard/status': {
    topic: (id) => `guard/${id}/status`,
    body: fc.record(
      { status: fc.constantFrom(...GUARD_DUTY_STATUSES), note: text(500), ts: deviceTime, msgId },
      { requiredKeys: ['status', 'ts'] },
    ),
    stored: (key) =>
      row(`SELECT note AS text FROM guard_status_reports WHERE message_key = $1`, [key]),
    expectedText: optionalText('note'),
  },
  'device/telemetry': {
    topic: (id) => `device/${id}/telemetry`,
    body: fc
      .tuple(
        fc.record(
          {
            battery: int(0, 100),
            // Both units: dBm -150..-1 and percent 0..100 (server/mqtt/payloads.ts).
            signal: int(-150, 100),
            charging: fc.boolean(),
            firmware: text(64),
            ts: deviceTime,
            msgId,
          },
          { requiredKeys: ['battery', 'ts'] },
        ),
        fc.boolean(),
      )
      // The replaced system's devices name an ISO device time `timestamp`.
      .map(([{ ts, ...rest }, renamed]) =>
        renamed && typeof ts === 'string' ? { ...rest, timestamp: ts } : { ...rest, ts },
      ),
    stored: (key) =>
      row(`SELECT firmware AS text FROM device_telemetry WHERE message_key = $1`, [key]),
    expectedText: optionalText('firmware'),
  },
  'sensor/reading': {
    topic: (id) => `sensor/${id}/reading`,
    body: fc.record(
      {
        kind: fc.constantFrom(...SENSOR_KINDS),
        value: double(-1e6, 1e6),
        unit: text(16),
        ts: deviceTime,
        msgId,
      },
      { requiredKeys: ['kind', 'value', 'ts'] },
    ),
    stored: (key) => row(`SELECT unit AS text FROM sensor_readings WHERE message_key = $1`, [key]),
    expectedText: optionalText('unit'),
  },
  alert: {
    topic: (id) => `alert/${id}/${DEVICE_ALERT_TYPES[id.length % DEVICE_ALERT_TYPES.length]}`,
    body: fc
      .record(
        {
          guardId: idString,
          position,
          accuracy: double(0, 10_000),
          message: text(2000),
          ts: deviceTime,
          msgId,
        },
        { requiredKeys: ['ts'] },
      )
      .map(({ position: p, ...rest }) => ({ ...p, ...rest })),
    stored: (key) => row(`SELECT message AS text FROM alerts WHERE message_key = $1`, [key]),
    expectedText: optionalText('message'),
  },
  'system/health': {
    topic: (id) => `system/${id}/health`,
    body: fc.record(
      {
        status: fc.constantFrom(...HEALTH_STATUSES),
        detail: text(1000),
        metrics: fc.dictionary(
          fc.stringMatching(METRIC_NAME_PATTERN),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          { maxKeys: 50 },
        ),
        ts: deviceTime,
        msgId,
      },
      { requiredKeys: ['status', 'ts'] },
    ),
    stored: (key) =>
      row(`SELECT detail AS text FROM system_health_reports WHERE message_key = $1`, [key]),
    expectedText: optionalText('detail'),
  },
  'device/command_ack': {
    topic: (id) => `device/${id}/command_ack`,
    body: fc.record(
      {
        commandId: fc.constant('filled-in-per-message'),
        result: fc.constantFrom(...COMMAND_ACK_RESULTS),
        detail: text(500),
        ts: deviceTime,
        msgId,
      },
      { requiredKeys: ['commandId', 'ts'] },
    ),
    async prepare(id, body) {
      body.commandId = randomUUID();
      await pool.query(
        `INSERT INTO device_commands (id, target_kind, target_id, type, status, updated_at)
         VALUES ($1, 'device', $2, 'locate', 'sent', now())`,
        [body.commandId, id],
      );
    },
    // The reply is stored on its command: done, or refused with the device's reason.
    stored: (_key, id) =>
      row(
        `SELECT CASE WHEN status = 'failed' THEN substr(error, length('refused by the device: ') + 1) END AS text
         FROM device_commands WHERE target_id = $1 AND status IN ('acknowledged', 'failed')`,
        [id],
      ),
    expectedText: (b) =>
      b.result === 'refused' ? (optionalText('detail')(b) ?? 'no reason given') : null,
  },
};

it('covers every topic kind', () => {
  const kinds = new Set(
    TOPIC_KINDS.map((k) => (k.root === 'alert' ? 'alert' : `${k.root}/${k.kind}`)),
  );
  expect([...kinds].sort()).toEqual(Object.keys(CASES).sort());
});

/** Waits for the message's row; fails at once when the ingest refused it. */
async function storedOnce(c: Case, topic: string, key: string, id: string) {
  try {
    return await waitFor(
      async () => {
        const refused = app.logs.find((l) => l.topic === topic && l.msg === 'mqtt message refused');
        if (refused) throw new Error(`refused: ${JSON.stringify(refused)}`);
        return c.stored(key, id);
      },
      // Generous: a loaded machine (the whole suite in parallel) once needed more than 20 s.
      { what: `${topic} stored`, timeoutMs: 60_000, intervalMs: 20 },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; its job: ${await jobState(topic, key)}`);
  }
}

/** Where the message's job is, to tell a slow pipeline from a failing one. */
async function jobState(topic: string, key: string): Promise<string> {
  const task = parseTopic(topic)!.kind.task;
  const queue = new Queue(routeFor(task).queue, {
    connection: redis,
    prefix: app.config.QUEUE_PREFIX,
  });
  try {
    const job = await jobOfMessage(queue, task, key);
    if (!job) return 'not in Redis';
    return JSON.stringify({
      state: await job.getState(),
      attemptsMade: job.attemptsMade,
      failedReason: job.failedReason,
    });
  } finally {
    await queue.close();
  }
}

describe.each(Object.entries(CASES))('every valid %s message', (_kind, c) => {
  it(`is stored exactly once (${RUNS} runs)`, async () => {
    const kindMax = (topic: string) =>
      TOPIC_KINDS.find((k) => topic.startsWith(`${k.root}/`) && topic.endsWith(`/${k.kind}`))!
        .maxBytes;
    await fc.assert(
      fc.asyncProperty(c.body, async (generated) => {
        const id = freshId();
        const body = { ...generated };
        await c.prepare?.(id, body);
        const topic = c.topic(id);
        const payload = JSON.stringify(body);
        // Within its kind's size cap: a larger one is refused by design, not lost.
        fc.pre(Buffer.byteLength(payload) <= kindMax(topic));
        await publisher.publishAsync(topic, payload, { qos: 1 });
        const key = messageKeyOf(topic, body.msgId as string | undefined, Buffer.from(payload));
        const stored = await storedOnce(c, topic, key, id);
        expect(stored.text).toBe(c.expectedText(body));
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    for (const name of QUEUE_NAMES) {
      const queue = new Queue(name, { connection: redis, prefix: app.config.QUEUE_PREFIX });
      expect(await queue.getFailedCount(), `failed jobs on ${name}`).toBe(0);
      await queue.close();
    }
  }, 600_000);
});
