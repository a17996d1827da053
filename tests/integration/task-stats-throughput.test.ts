/**
 * The one count of finished jobs (server/metrics/task-stats.ts) on the real
 * Redis: what workers record is what the charts' throughput reads between two
 * samples, a tally flushed after the minute turned is still counted once, and
 * the admin page's hour and the charts' throughput sum tasks by the same routes.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_NAMES, routeFor } from '../../server/queues/routes';
import {
  byQueue,
  createCompletionCounter,
  createTaskStatsRecorder,
  readTaskStats,
} from '../../server/metrics/task-stats';
import { requireServiceUrls, uniqueId } from '../helpers/services';

const urls = requireServiceUrls();
let redis: Redis;
let prefix: string;

/** A clock the test moves; starts 50 s into a minute. */
function clock() {
  let t = Math.floor(Date.now() / 60_000) * 60_000 + 50_000;
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

describe('completions between two reads', () => {
  it('counts what every worker recorded since the previous read, and nothing twice', async () => {
    prefix = uniqueId('wft-tput');
    const time = clock();
    const a = createTaskStatsRecorder(redis, prefix, { now: time.now, flushMs: 60_000 });
    const b = createTaskStatsRecorder(redis, prefix, { now: time.now, flushMs: 60_000 });
    // Work done before the charts started is not throughput.
    a.record('process_guard_gps', 'completed', 3);
    await a.flush();
    const counter = createCompletionCounter(redis, prefix, time.now);
    expect(await counter.sinceLast()).toEqual({ byTask: new Map(), overMs: null });

    time.advance(4_000);
    for (let i = 0; i < 3; i += 1) a.record('process_guard_gps', 'completed', 3);
    b.record('process_guard_gps', 'completed', 7);
    b.record('process_sensor_data', 'completed', 7);
    b.record('process_sensor_data', 'failed', 7);
    await Promise.all([a.flush(), b.flush()]);
    expect(await counter.sinceLast()).toEqual({
      byTask: new Map([
        ['process_guard_gps', 4],
        ['process_sensor_data', 1],
      ]),
      overMs: 4_000,
    });

    time.advance(1_000);
    expect(await counter.sinceLast()).toEqual({ byTask: new Map(), overMs: 1_000 });
    await Promise.all([a.stop(), b.stop()]);
  });

  it('counts a tally flushed after the minute turned, once', async () => {
    prefix = uniqueId('wft-tput');
    const time = clock();
    const worker = createTaskStatsRecorder(redis, prefix, { now: time.now, flushMs: 60_000 });
    const counter = createCompletionCounter(redis, prefix, time.now);
    await counter.sinceLast();
    // Recorded at :55 of one minute, read at :05 of the next before the worker flushed it.
    time.advance(5_000);
    worker.record('process_guard_gps', 'completed', 1);
    worker.record('process_guard_gps', 'completed', 1);
    time.advance(10_000);
    expect((await counter.sinceLast()).byTask).toEqual(new Map());
    await worker.flush();
    time.advance(5_000);
    expect((await counter.sinceLast()).byTask).toEqual(new Map([['process_guard_gps', 2]]));
    time.advance(5_000);
    expect((await counter.sinceLast()).byTask).toEqual(new Map());
    await worker.stop();
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
