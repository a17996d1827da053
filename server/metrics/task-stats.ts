/**
 * The one count of finished jobs: per-task counts and durations, shared by
 * every worker process through Redis: one hash per minute (`<prefix>:{taskstats}:<minute>`, one hash tag so
 * a MULTI or pipeline over several minutes stays in one Redis Cluster slot)
 * with completed and failed counts and a duration histogram per task. Workers
 * add to an in-memory tally and flush it every couple of seconds, so a busy
 * worker costs Redis one pipelined write per flush, not one per job.
 * Completions are also counted per second (`…:{taskstats}:s:<second>`, kept a
 * few minutes, written in the same MULTI): the admin page reads the last hour
 * of minutes (readTaskStats), the charts their queue throughput from the
 * seconds (completionRates).
 */
import type { RedisClient } from '../redis';
import { histogramQuantile } from './quantile';
import { TASK_NAMES, routeFor, type QueueName } from '../queues/routes';

/** Upper bounds of the duration buckets, ms; one more bucket holds everything slower. */
export const DURATION_BUCKETS_MS = [
  1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000,
];
const MINUTE = 60_000;
/** Minute hashes outlive the hour they serve by a margin. */
const TTL_SECONDS = 2 * 3600;
/** Second hashes serve the charts' last few seconds. */
const SECOND_TTL_SECONDS = 300;
/** How often a worker writes its tally to Redis. */
export const FLUSH_MS = 2000;
/** A second is complete once every worker flushed it: a flush interval after its end, and a margin. */
export const SETTLE_MS = FLUSH_MS + 1500;

const key = (prefix: string, minute: number) => `${prefix}:{taskstats}:${minute}`;
const secondKey = (prefix: string, second: number) => `${prefix}:{taskstats}:s:${second}`;

/** Index of the bucket a duration falls in. */
export function bucketOf(durationMs: number): number {
  const index = DURATION_BUCKETS_MS.findIndex((bound) => durationMs <= bound);
  return index === -1 ? DURATION_BUCKETS_MS.length : index;
}

/** The p95 as the upper bound of the bucket the 95th percentile falls in (shown as "≤ x"); null with no samples. */
export function p95FromBuckets(counts: number[]): number | null {
  const buckets = counts.map((count, i) => ({ le: DURATION_BUCKETS_MS[i] ?? Infinity, count }));
  return histogramQuantile(buckets, 0.95, { interpolate: false });
}

export interface TaskStatsRecorder {
  /** `messages`: how many messages the job carried (a batch job carries several). */
  record(
    task: string,
    outcome: 'completed' | 'failed',
    durationMs: number,
    messages?: number,
  ): void;
  /** Writes the tally to Redis (also done on a timer). */
  flush(): Promise<void>;
  /** Flushes and stops the timer. */
  stop(): Promise<void>;
}

/** Starts a recorder that flushes every flushMs. */
export function createTaskStatsRecorder(
  redis: RedisClient,
  prefix: string,
  { flushMs = FLUSH_MS, now = Date.now }: { flushMs?: number; now?: () => number } = {},
): TaskStatsRecorder {
  // Redis key -> its TTL and field -> increment
  type Tally = Map<string, { ttl: number; fields: Map<string, number> }>;
  let tally: Tally = new Map();
  const add = (hash: string, ttl: number, field: string, n = 1) => {
    let entry = tally.get(hash);
    if (!entry) tally.set(hash, (entry = { ttl, fields: new Map() }));
    entry.fields.set(field, (entry.fields.get(field) ?? 0) + n);
  };

  async function flush(): Promise<void> {
    if (tally.size === 0) return;
    const pending = tally;
    tally = new Map();
    const multi = redis.multi();
    for (const [hash, { ttl, fields }] of pending) {
      for (const [field, n] of fields) multi.hincrby(hash, field, n);
      multi.expire(hash, ttl);
    }
    try {
      await multi.exec();
    } catch {
      // Redis is down: keep the counts for the next flush rather than lose them.
      for (const [hash, { ttl, fields }] of pending) {
        for (const [field, n] of fields) add(hash, ttl, field, n);
      }
    }
  }

  const timer = setInterval(() => void flush(), flushMs);
  timer.unref();
  return {
    record(task, outcome, durationMs, messages = 1) {
      const at = now();
      const minute = key(prefix, Math.floor(at / MINUTE));
      add(minute, TTL_SECONDS, `${task}|${outcome}`, messages);
      if (outcome !== 'completed') return;
      add(minute, TTL_SECONDS, `${task}|b${bucketOf(Math.max(0, durationMs))}`, messages);
      add(secondKey(prefix, Math.floor(at / 1000)), SECOND_TTL_SECONDS, task, messages);
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}

export interface TaskWindowStats {
  completed: number;
  failed: number;
  p95Ms: number | null;
  /** Completed in the last 5 minutes (throughput). */
  completedLast5Min: number;
}

/** The given hashes, in their order (an empty one for a key nobody wrote). */
async function readHashes(
  redis: RedisClient,
  keys: readonly string[],
): Promise<Record<string, string>[]> {
  const pipeline = redis.pipeline();
  for (const hash of keys) pipeline.hgetall(hash);
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, value]) => {
    if (error) throw error;
    return value as Record<string, string>;
  });
}

/** Reads the last 60 minutes (this one included) for every task seen. */
export async function readTaskStats(
  redis: RedisClient,
  prefix: string,
  now = Date.now(),
): Promise<Map<string, TaskWindowStats>> {
  const current = Math.floor(now / MINUTE);
  const minutes = Array.from({ length: 60 }, (_, i) => current - i);
  const stats = new Map<string, TaskWindowStats & { buckets: number[] }>();
  (
    await readHashes(
      redis,
      minutes.map((minute) => key(prefix, minute)),
    )
  ).forEach((value, index) => {
    for (const [field, raw] of Object.entries(value)) {
      const [task, kind] = field.split('|') as [string, string];
      let entry = stats.get(task);
      if (!entry) {
        entry = { completed: 0, failed: 0, p95Ms: null, completedLast5Min: 0, buckets: [] };
        stats.set(task, entry);
      }
      const n = Number(raw);
      if (kind === 'completed') {
        entry.completed += n;
        if (index < 5) entry.completedLast5Min += n;
      } else if (kind === 'failed') entry.failed += n;
      else if (kind.startsWith('b')) {
        const bucket = Number(kind.slice(1));
        entry.buckets[bucket] = (entry.buckets[bucket] ?? 0) + n;
      }
    }
  });
  return new Map(
    [...stats].map(([task, { buckets, ...rest }]) => [
      task,
      { ...rest, p95Ms: p95FromBuckets(Array.from(buckets, (n) => n ?? 0)) },
    ]),
  );
}

/** Per-task counts summed by the queue each task routes to (tasks outside the route table left out). */
export function byQueue(countOf: (task: string) => number): Map<QueueName, number> {
  const sums = new Map<QueueName, number>();
  for (const task of TASK_NAMES) {
    const { queue } = routeFor(task);
    sums.set(queue, (sums.get(queue) ?? 0) + countOf(task));
  }
  return sums;
}

/**
 * Jobs completed per second, per task (every worker process), over the last
 * `windowS` whole seconds that every worker has flushed (ending SETTLE_MS ago).
 * The window matches the chart interval, so consecutive samples cover
 * consecutive seconds; a sample costs one pipelined read of windowS small hashes.
 */
export async function completionRates(
  redis: RedisClient,
  prefix: string,
  {
    windowS,
    now = Date.now(),
    settleMs = SETTLE_MS,
  }: { windowS: number; now?: number; settleMs?: number },
): Promise<Map<string, number>> {
  const seconds = Math.max(1, Math.round(windowS));
  // The newest second that ended at least settleMs ago.
  const newest = Math.floor((now - settleMs) / 1000) - 1;
  const keys = Array.from({ length: seconds }, (_, i) => secondKey(prefix, newest - i));
  const rates = new Map<string, number>();
  for (const hash of await readHashes(redis, keys)) {
    for (const [task, raw] of Object.entries(hash)) {
      rates.set(task, (rates.get(task) ?? 0) + Number(raw) / seconds);
    }
  }
  return rates;
}
