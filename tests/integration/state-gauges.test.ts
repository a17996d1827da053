/**
 * The bounded-state gauges on /metrics against the real Redis and PostgreSQL:
 * the oldest waiting job's age per queue (across BullMQ's priority bands and
 * the plain wait list), Redis's used memory and the database's size (cached).
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../server/logger';
import { createMetrics } from '../../server/metrics/metrics';
import { cachedDatabaseSize, redisUsedMemory } from '../../server/metrics/state-sources';
import { QUEUE_NAMES } from '../../server/queues/routes';
import { createTaskQueues, type TaskQueues } from '../../server/queues/task-queues';
import { requireServiceUrls, uniqueId } from '../helpers/services';

const urls = requireServiceUrls();
const prefix = uniqueId('wf-gauges');
let redis: Redis;
let pool: pg.Pool;
let queues: TaskQueues;

/** The value of a sample line of the Prometheus text, e.g. name{queue="critical"}. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`no ${series} in /metrics:\n${text}`);
  return Number(line.slice(series.length + 1));
}

beforeAll(async () => {
  redis = new Redis(urls.redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
  pool.on('error', () => undefined);
  queues = createTaskQueues(redis, prefix, createLogger('silent'));
});

afterAll(async () => {
  await queues.close();
  for (const name of QUEUE_NAMES)
    await new Queue(name, { connection: redis, prefix }).obliterate({ force: true });
  await redis.quit();
  await pool.end();
});

describe('bounded-state gauges', () => {
  it('reports 0 for a queue where nothing waits', async () => {
    const ages = await queues.oldestWaitingAgesS();
    expect(ages).toEqual(Object.fromEntries(QUEUE_NAMES.map((name) => [name, 0])));
  });

  it('finds the oldest waiting job even when a younger one has a higher priority', async () => {
    // process_guard_status (priority 7) first, then process_guard_gps (priority 8): the queue's
    // head is the younger, more urgent job; the backlog's age is the older one's.
    // Nothing works these jobs: their data only has to be of their task's type.
    const at = Date.now();
    const key = { messageKey: uniqueId('gauge'), guardId: 'g-gauge', receivedAt: at };
    const status = { ...key, status: 'on_duty', note: null, reportedAt: at } as const;
    const fix = {
      ...key,
      lat: 1,
      lon: 1,
      fixAt: at,
      accuracyM: 5,
      speedMps: null,
      headingDeg: null,
    };
    await queues.enqueue('process_guard_status', uniqueId('old'), status);
    const olderAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await queues.enqueue('process_guard_gps', uniqueId('young'), fix);
    const now = olderAt + 10_000;
    const ages = await queues.oldestWaitingAgesS(now);
    expect(ages.high_priority).toBeGreaterThanOrEqual(9.9);
    expect(ages.high_priority).toBeLessThan(10.5);
    expect(ages.critical).toBe(0);
  });

  it('counts jobs without a priority in the wait list, oldest at its tail', async () => {
    const queue = queues.queue('maintenance');
    await queue.add('first', {}, { jobId: uniqueId('first') });
    const firstAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await queue.add('second', {}, { jobId: uniqueId('second') });
    const ages = await queues.oldestWaitingAgesS(firstAt + 5_000);
    expect(ages.maintenance).toBeGreaterThanOrEqual(4.9);
    expect(ages.maintenance).toBeLessThan(5.5);
  });

  it('exposes queue age, Redis used memory and database size on the registry', async () => {
    const metrics = createMetrics();
    metrics.setStateSources({
      queueOldestWaitingAgeS: () => queues.oldestWaitingAgesS(),
      redisUsedMemoryBytes: redisUsedMemory(redis),
      databaseSizeBytes: cachedDatabaseSize(pool, 60_000),
    });
    const text = await metrics.registry.metrics();
    expect(
      sample(text, 'watchfloor_queue_oldest_waiting_age_seconds{queue="high_priority"}'),
    ).toBeGreaterThan(1);
    const info = await redis.info('memory');
    const used = Number(/^used_memory:(\d+)/m.exec(info)![1]);
    // Redis's memory moves between two reads; the same order of magnitude is the check.
    expect(sample(text, 'watchfloor_redis_used_memory_bytes')).toBeGreaterThan(used / 2);
    expect(sample(text, 'watchfloor_redis_used_memory_bytes')).toBeLessThan(used * 2);
    const { rows } = await pool.query<{ bytes: string }>(
      'SELECT pg_database_size(current_database())::text AS bytes',
    );
    expect(sample(text, 'watchfloor_database_size_bytes')).toBe(Number(rows[0]!.bytes));
  });

  it('reads the database size at most once per cache period', async () => {
    let now = 1_000_000;
    const query = vi.spyOn(pool, 'query');
    const size = cachedDatabaseSize(pool, 60_000, () => now);
    const first = await size();
    now += 59_000;
    expect(await size()).toBe(first);
    expect(query).toHaveBeenCalledTimes(1);
    now += 2_000;
    await size();
    expect(query).toHaveBeenCalledTimes(2);
    query.mockRestore();
  });
});
