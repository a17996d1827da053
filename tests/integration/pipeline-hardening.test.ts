/**
 * The pipeline's trust boundaries on the real services (issue 10): an alert
 * belongs to the device's own guard whatever its payload claims; a job that
 * did not come from the ingest (written straight into Redis) is refused,
 * counted and left failed, never stored or broadcast; free text PostgreSQL
 * cannot store is repaired at the edge; and an alert whose storing fails for
 * good still reaches screens, marked as not stored.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { MqttClient } from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageKeyOf } from '../../server/mqtt/messages';
import { routeFor, toBullPriority } from '../../server/queues/routes';
import { JOB_DATA_INVALID } from '../../server/queues/task-workers';
import { createSiteWithGuard, removeSite } from '../helpers/fixtures';
import { INGEST_READY, startTestApp, type TestApp } from '../helpers/in-process-app';
import {
  connectPublisher,
  watchAlertsAsAdmin,
  type AlertWatcher,
} from '../helpers/pipeline-clients';
import { requireServiceUrls, uniqueId } from '../helpers/services';
import { removeTestUsers } from '../helpers/sessions';
import { waitFor } from '../helpers/wait-for';

const urls = requireServiceUrls();
const siteA = uniqueId('site-a');
const siteB = uniqueId('site-b');
const guardA = uniqueId('guard-a');
const guardB = uniqueId('guard-b');
/** A device on site B with no guard of its own (a panic button, a sensor hub). */
const sensorB = uniqueId('hub-b');
/** Storing its alerts fails in PostgreSQL (a trigger), every time. */
const doomed = uniqueId('doomed');
const trigger = `wft_${uniqueId('refuse').replace(/-/g, '_')}`;

let app: TestApp;
let pool: pg.Pool;
let publisher: MqttClient;
let redis: Redis;
let watcher: AlertWatcher | undefined;
/** The alerts pushed to an admin's screen so far. */
const alertsSeen = () => watcher?.seen.map((s) => s.alert) ?? [];

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
  await createSiteWithGuard(pool, { siteId: siteA, guardId: guardA }, { lat: 51.22, lon: 4.4 });
  await createSiteWithGuard(pool, { siteId: siteB, guardId: guardB }, { lat: 53.54, lon: 9.97 });
  // Guard A's last position: where a false SOS in A's name would have pointed.
  await pool.query(
    `UPDATE guards SET last_position = ST_SetSRID(ST_MakePoint(4.4, 51.22), 4326)::geography WHERE id = $1`,
    [guardA],
  );
  await pool.query(
    `INSERT INTO devices (id, site_id, updated_at) VALUES ($1, $2, now()), ($3, $2, now())`,
    [sensorB, siteB, doomed],
  );
  await pool.query(
    `CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION 'test: alerts of % cannot be stored', NEW.device_id; END $$`,
  );
  await pool.query(
    `CREATE TRIGGER ${trigger} BEFORE INSERT ON alerts FOR EACH ROW
     WHEN (NEW.device_id = '${doomed}') EXECUTE FUNCTION ${trigger}()`,
  );
  app = await startTestApp();
  redis = new Redis(urls.redisUrl, { maxRetriesPerRequest: null });
  publisher = await connectPublisher();
  watcher = await watchAlertsAsAdmin(app, pool);
  await waitFor(() => app.logs.some((l) => l.msg === INGEST_READY), { what: 'ingest' });
}, 60_000);

afterAll(async () => {
  watcher?.socket.disconnect();
  await publisher?.endAsync();
  await app?.stop();
  await redis?.quit();
  await removeTestUsers(pool, [watcher?.admin]);
  await pool.query(`DROP TRIGGER IF EXISTS ${trigger} ON alerts`);
  await pool.query(`DROP FUNCTION IF EXISTS ${trigger}()`);
  await pool.query(`DELETE FROM alerts WHERE site_id = ANY($1) OR device_id = ANY($2)`, [
    [siteA, siteB],
    [sensorB, doomed, guardB],
  ]);
  await pool.query(`DELETE FROM devices WHERE id = ANY($1)`, [[sensorB, doomed, guardB]]);
  await removeSite(pool, siteA);
  await removeSite(pool, siteB);
  await pool.end();
});

async function publishAlert(deviceId: string, body: Record<string, unknown>): Promise<string> {
  const msgId = uniqueId('m');
  const topic = `alert/${deviceId}/sos`;
  const payload = JSON.stringify({ ts: Date.now() - 100, ...body, msgId });
  await publisher.publishAsync(topic, payload, { qos: 2 });
  return messageKeyOf(topic, msgId, Buffer.from(payload));
}

async function storedAlert(messageKey: string) {
  return waitFor(
    async () =>
      (
        await pool.query<{
          guard_id: string | null;
          site_id: string | null;
          device_id: string;
          message: string | null;
          lat: number | null;
        }>(
          `SELECT guard_id, site_id, device_id, message, ST_Y(location::geometry) AS lat
           FROM alerts WHERE message_key = $1`,
          [messageKey],
        )
      ).rows[0],
    { what: `the alert ${messageKey.slice(0, 8)}`, timeoutMs: 20_000 },
  );
}

const counterValue = async (counter: { get(): Promise<{ values: { value: number }[] }> }) =>
  (await counter.get()).values.reduce((sum, v) => sum + v.value, 0);

describe('alert attribution', () => {
  it("ignores a payload guardId that is not the device's own guard, and still raises the alert for the device", async () => {
    const before = await counterValue(app.app.metrics.alertGuardClaimIgnored);
    // A sensor on site B names a guard of site A.
    const fromSensor = await storedAlert(await publishAlert(sensorB, { guardId: guardA }));
    expect(fromSensor).toMatchObject({ device_id: sensorB, site_id: siteB, guard_id: null });
    // Never at guard A's last position.
    expect(fromSensor.lat).toBeNull();
    // Guard B's phone names guard A.
    const fromPhone = await storedAlert(await publishAlert(guardB, { guardId: guardA }));
    expect(fromPhone).toMatchObject({ device_id: guardB, site_id: siteB, guard_id: guardB });

    expect(await counterValue(app.app.metrics.alertGuardClaimIgnored)).toBe(before + 2);
    const logged = app.logs.filter((l) => l.claimed === guardA);
    expect(logged.map((l) => l.attributed).sort()).toEqual([guardB, null].sort());
    expect(alertsSeen().some((a) => a.guardId === guardA)).toBe(false);
  }, 30_000);

  it("counts a payload guardId that names the device's own guard", async () => {
    const before = await counterValue(app.app.metrics.alertGuardClaimIgnored);
    const own = await storedAlert(await publishAlert(guardB, { guardId: guardB }));
    expect(own).toMatchObject({ device_id: guardB, site_id: siteB, guard_id: guardB });
    expect(await counterValue(app.app.metrics.alertGuardClaimIgnored)).toBe(before);
  }, 30_000);
});

describe('free text PostgreSQL cannot store', () => {
  it('stores and broadcasts an SOS whose message holds U+0000 and a lone surrogate, repaired', async () => {
    const key = await publishAlert(guardB, { message: 'help\u0000 me \ud800 now' });
    const row = await storedAlert(key);
    expect(row.message).toBe('help\uFFFD me \uFFFD now');
    await waitFor(() => alertsSeen().find((a) => a.message === 'help\uFFFD me \uFFFD now'), {
      what: 'the repaired SOS on the screen',
    });
  }, 30_000);
});

/** Writes a job the way BullMQ stores one, straight into Redis, as an attacker with Redis access would. */
async function writeJobIntoRedis(queueName: string, jobId: string, name: string, data: string) {
  const key = `${app.config.QUEUE_PREFIX}:${queueName}`;
  await redis.hset(`${key}:${jobId}`, {
    name,
    data,
    opts: JSON.stringify({ attempts: 8, backoff: { type: 'exponential', delay: 500 } }),
    timestamp: Date.now(),
    delay: 0,
    priority: 0,
  });
  await redis.lpush(`${key}:wait`, jobId);
  await redis.zadd(`${key}:marker`, 0, '0');
}

describe('jobs written straight into Redis', () => {
  it('refuses a forged or corrupt job: failed at once, counted, never stored or broadcast', async () => {
    const queue = new Queue('critical', { connection: redis, prefix: app.config.QUEUE_PREFIX });
    const before = await counterValue(app.app.metrics.jobDataRejected);
    const forgedMessage = uniqueId('forged-sos');
    const jobs = {
      // An SOS in guard A's name with a site of the forger's choosing and no message key.
      forged: JSON.stringify({
        deviceId: sensorB,
        type: 'sos',
        guardId: guardA,
        siteId: siteA,
        location: { lat: 51.22, lon: 4.4 },
        message: forgedMessage,
        raisedAt: new Date().toISOString(),
        receivedAt: new Date().toISOString(),
      }),
      // Valid JSON, but not an object at all.
      corrupt: JSON.stringify('not a job'),
      // Well formed but with text no ingest would have let through.
      nul: JSON.stringify({
        messageKey: uniqueId('k'),
        deviceId: sensorB,
        type: 'sos',
        guardId: null,
        location: null,
        message: `${forgedMessage}\u0000`,
        raisedAt: new Date().toISOString(),
        receivedAt: new Date().toISOString(),
      }),
      // A valid alert, but in a batch: alerts are never batched (routes.ts), so not from the ingest.
      batch: JSON.stringify({
        messages: [
          {
            messageKey: uniqueId('k'),
            deviceId: sensorB,
            type: 'sos',
            guardId: null,
            location: null,
            message: `${forgedMessage} in a batch`,
            raisedAt: Date.now(),
            receivedAt: Date.now(),
          },
        ],
      }),
    };
    const ids = Object.fromEntries(Object.keys(jobs).map((k) => [k, uniqueId(`job-${k}`)]));
    for (const [kind, data] of Object.entries(jobs))
      await writeJobIntoRedis('critical', ids[kind]!, 'process_device_alert', data);

    for (const id of Object.values(ids)) {
      const job = await waitFor(
        async () => {
          const j = await queue.getJob(id);
          return j && (await j.getState()) === 'failed' ? j : undefined;
        },
        { what: `job ${id} failed`, timeoutMs: 20_000 },
      );
      // No retries wasted on it.
      expect(job.attemptsMade).toBe(1);
      expect(job.failedReason).toMatch(new RegExp(`^${JOB_DATA_INVALID}: `));
    }
    expect(await counterValue(app.app.metrics.jobDataRejected)).toBe(before + 4);
    const { rows } = await pool.query(`SELECT 1 FROM alerts WHERE message LIKE $1`, [
      `${forgedMessage}%`,
    ]);
    expect(rows).toEqual([]);
    // A real alert right after still goes through; the forged ones never reached a screen.
    await storedAlert(await publishAlert(guardB, { message: 'after the forgery' }));
    await waitFor(() => alertsSeen().find((a) => a.message === 'after the forgery'), {
      what: 'the real alert on the screen',
    });
    expect(alertsSeen().some((a) => a.message?.startsWith(forgedMessage))).toBe(false);
    await queue.close();
  }, 60_000);
});

describe('an alert that cannot be stored', () => {
  it('is pushed to screens marked as not stored and stays in the failed set with its error', async () => {
    const queue = new Queue('critical', { connection: redis, prefix: app.config.QUEUE_PREFIX });
    const route = routeFor('process_device_alert');
    const message = uniqueId('unstorable-sos');
    const job = await queue.add(
      'process_device_alert',
      {
        messageKey: uniqueId('k'),
        deviceId: doomed,
        type: 'sos',
        guardId: null,
        location: { lat: 53.54, lon: 9.97 },
        message,
        raisedAt: new Date().toISOString(),
        receivedAt: new Date().toISOString(),
      },
      // Two quick attempts instead of eight over a minute: the outcome is the same.
      {
        attempts: 2,
        backoff: { type: 'fixed', delay: 100 },
        priority: toBullPriority(route.priority),
      },
    );
    const shown = await waitFor(() => alertsSeen().find((a) => a.message === message), {
      what: 'the unstored SOS on the screen',
      timeoutMs: 20_000,
    });
    expect(shown).toMatchObject({
      stored: false,
      type: 'sos',
      severity: 'critical',
      siteId: siteB,
    });
    const failed = await queue.getJob(job.id!);
    expect(await failed!.getState()).toBe('failed');
    expect(failed!.attemptsMade).toBe(2);
    expect(failed!.failedReason).toContain(`alerts of ${doomed} cannot be stored`);
    expect(await counterValue(app.app.metrics.alertBroadcastUnstored)).toBe(1);
    await queue.close();
  }, 60_000);
});
