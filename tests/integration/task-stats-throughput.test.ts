/**
 * The one count of finished jobs (server/metrics/task-stats.ts) on the real
 * Redis: what workers record is what the charts' throughput reads, per second
 * over the settled seconds of its window, and the admin page's hour and the
 * charts' throughput sum tasks by the same routes.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_NAMES, routeFor } from '../../server/queues/routes';
import {
  SETTLE_MS,
  byQueue,
  completionRates,
  createTaskStatsRecorder,
  readTaskStats,
} from '../../server/metrics/task-stats';
import { requireServiceUrls, uniqueId } from '../helpers/services';

const urls = requireServiceUrls();
let redis: Redis;
let prefix: string;

/** A clock the test moves; starts on a whole second. */
function clock() {
  let t = Math.floor(Date.now() / 1000) * 1000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

beforeAll(() => {
  redis = new Redis(urls.redisUrl, { maxRetriesPerRequest: null });
});

afterAll(async () => {
  const keys = await redis.keys(`wft-tput-*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('completion rates for the charts', () => {
  it('averages what every worker completed over the last settled seconds of the window', async () => {
    prefix = uniqueId('wft-tput');
    const time = clock();
    const a = createTaskStatsRecorder(redis, prefix, { now: time.now, flushMs: 60_000 });
    const b = createTaskStatsRecorder(redis, prefix, { now: time.now, flushMs: 60_000 });
    // Second 0: 3 + 1 GPS jobs on two workers, one sensor job, one failure (not a completion).
    for (let i = 0; i < 3; i += 1) a.record('process_guard_gps', 'completed', 3);
    b.record('process_guard_gps', 'completed', 7);
    b.record('process_sensor_data', 'completed', 7);
    b.record('process_sensor_data', 'failed', 7);
    // Second 1: 6 GPS jobs. Second 5: 10 GPS jobs, outside a 5-second window ending at second 4.
    time.advance(1_000);
    for (let i = 0; i < 6; i += 1) a.record('process_guard_gps', 'completed', 3);
    time.advance(4_000);
    for (let i = 0; i < 10; i += 1) b.record('process_guard_gps', 'completed', 3);
    await Promise.all([a.stop(), b.stop()]);

    // At second 5 + SETTLE_MS + a bit, second 4 is the newest settled one: window 0..4.
    const at = time.now() + SETTLE_MS + 100;
    const rates = await completionRates(redis, prefix, { windowS: 5, now: at });
    expect(rates).toEqual(
      new Map([
        ['process_guard_gps', (4 + 6) / 5],
        ['process_sensor_data', 1 / 5],
      ]),
    );
    // A second later second 5 is settled and second 0 has left the window.
    const later = await completionRates(redis, prefix, { windowS: 5, now: at + 1_000 });
    expect(later).toEqual(new Map([['process_guard_gps', (6 + 10) / 5]]));
    // A second still being flushed is not read: a window of one settled second sees second 4 (nothing).
    expect(await completionRates(redis, prefix, { windowS: 1, now: at })).toEqual(new Map());
  });
});

describe('one count, two views', () => {
  it('sums tasks by the queue their route names, for the admin hour as for the charts', async () => {
    prefix = uniqueId('wft-tput');
    const time = clock();
    const worker = createTaskStatsRecorder(redis, prefix, { now: time.now, flushMs: 60_000 });
    for (let i = 0; i < 5; i += 1) worker.record('process_guard_gps', 'completed', 2);
    await worker.stop();
    const stats = await readTaskStats(redis, prefix, time.now());
    expect(stats.get('process_guard_gps')).toMatchObject({ completed: 5, completedLast5Min: 5 });
    const perQueue = byQueue((task) => stats.get(task)?.completedLast5Min ?? 0);
    const gpsQueue = routeFor('process_guard_gps').queue;
    expect(perQueue.get(gpsQueue)).toBe(5);
    expect([...perQueue.values()].reduce((a, b) => a + b, 0)).toBe(5);
    // Every routed queue has an entry, zero or not.
    expect(new Set(perQueue.keys())).toEqual(new Set(TASK_NAMES.map((t) => routeFor(t).queue)));
  });
});
